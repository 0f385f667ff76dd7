from django.apps import AppConfig


class BillingConfig(AppConfig):
    """Purchases, quotes and the ledger (filled by the "Sending identities" issue)."""

    name = "billing"
    default_auto_field = "django.db.models.BigAutoField"
