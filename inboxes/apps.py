from django.apps import AppConfig


class InboxesConfig(AppConfig):
    name = "inboxes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers (billing hooks and the like) connect on import.
        from inboxes import receivers  # noqa: F401
        from inboxes.embedded import MAIL_SINK
        from ops.stack import register_embedded_service

        register_embedded_service(MAIL_SINK)
