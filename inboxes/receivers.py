"""Signal receivers of the inboxes app (connected by its AppConfig.ready)."""
