from django.apps import AppConfig


class DomainsConfig(AppConfig):
    name = "domains"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers (billing hooks and the like) connect on import.
        from domains import receivers  # noqa: F401
        from domains.events import STREAM
        from live.streams import register_stream

        register_stream(STREAM, "Domains page rows: {type: domain.event, domains: [row, ...], domain?: row}")
