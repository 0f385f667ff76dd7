from django.apps import AppConfig


class InboxesConfig(AppConfig):
    name = "inboxes"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signal receivers (billing hooks and the like) connect on import; billing asks which inbox addresses
        # exist through its inventory hook rather than importing this app (it sits below it).
        from billing.inventory import register_address_lookup
        from domains.overview import register_today
        from domains.provisioning import register_inbox_starter
        from inboxes import overview, receivers, warmup
        from inboxes.embedded import MAIL_SINK
        from inboxes.metrics import sending_metrics
        from ops.metrics import register_source
        from ops.stack import register_embedded_service

        register_address_lookup("inboxes", receivers.addresses_on_record)
        # The Domains page's figures come from the inboxes: this app sits above domains, so it tells them.
        register_today(overview.today_for)
        # Provisioning's last step moves a domain to warming; its inboxes start with it, in the same transaction.
        register_inbox_starter(warmup.start_pending_inboxes)
        register_embedded_service(MAIL_SINK)
        register_source("sending", sending_metrics)
