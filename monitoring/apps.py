from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    """Anomaly detection over what the apps below record (sends, bounces, replies, agent runs, the queue), the
    incidents it opens with their protective pauses and alerts, and the agents board.

    The top business layer but privacy: it reads inboxes, replies, agents and missions and is read by nobody.
    """

    name = "monitoring"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from inboxes.models import Incident as SendingIncident
        from live.streams import register_stream
        from monitoring import receivers
        from monitoring.services import STREAM, STREAM_DESCRIPTION

        register_stream(STREAM, STREAM_DESCRIPTION)
        # A burst of infrastructure bounces opens inboxes' own incident synchronously; it becomes a general one too.
        post_save.connect(receivers.sending_incident_saved, sender=SendingIncident,
                          dispatch_uid="monitoring.sending_incident_saved")
