from django.apps import AppConfig


class DomainsConfig(AppConfig):
    name = "domains"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers (billing hooks and the like) connect on import; billing asks which domains exist
        # through its inventory hook rather than importing this app (it sits below it).
        from billing.inventory import register_domain_lookup
        from domains import receivers
        from domains.embedded import LOCAL_DNS
        from domains.events import STREAM
        from live.streams import register_stream
        from ops.stack import register_embedded_service

        register_domain_lookup("domains", receivers.domains_on_record)
        register_embedded_service(LOCAL_DNS)
        register_stream(STREAM, "Domains page rows: {type: domain.event, domains: [row, ...], domain?: row}")
