from django.apps import AppConfig


class DomainsConfig(AppConfig):
    name = "domains"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers (billing hooks and the like) connect on import.
        from domains import receivers  # noqa: F401
        from domains.demo import seed_demo_identities
        from domains.embedded import LOCAL_DNS
        from domains.events import STREAM
        from live.streams import register_stream
        from ops.seed import register_demo_seed
        from ops.stack import register_embedded_service

        register_embedded_service(LOCAL_DNS)
        register_demo_seed("sending identities", seed_demo_identities, order=20)

        register_stream(STREAM, "Domains page rows: {type: domain.event, domains: [row, ...], domain?: row}")
