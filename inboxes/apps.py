from django.apps import AppConfig


class InboxesConfig(AppConfig):
    """Inboxes, transports, caps and suppression (filled by the "Sending identities" issue)."""

    name = "inboxes"
    default_auto_field = "django.db.models.BigAutoField"
