from django.apps import AppConfig


class SmsConfig(AppConfig):
    """Texts through Twilio: sender numbers, SMS sequence steps behind one consent gate, Twilio's webhooks."""

    name = "sms"
    verbose_name = "SMS"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from campaigns.channels import register_channel_sender
        from sms.channel import send_sms_step

        # The sequencer (campaigns, below) hands SMS steps to this app without importing it.
        register_channel_sender("sms", send_sms_step)
