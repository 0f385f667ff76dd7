"""Signal receivers of the billing app (connected by its AppConfig.ready)."""
