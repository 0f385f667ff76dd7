from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    """GDPR requests about one person: export everything REX holds about them, or erase it (docs/operations.md)."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "privacy"
