"""Signal receivers of the domains app (connected by its AppConfig.ready)."""
