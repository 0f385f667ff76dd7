from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    """Campaigns, contact lists and contacts: who outreach goes to and what it says."""

    name = "campaigns"
    default_auto_field = "django.db.models.BigAutoField"
