from django.apps import AppConfig


class DomainsConfig(AppConfig):
    """Domain pool and warmup (filled by the "Sending identities" issue)."""

    name = "domains"
    default_auto_field = "django.db.models.BigAutoField"
