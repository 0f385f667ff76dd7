from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AgentsConfig(AppConfig):
    name = "agents"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agents import registry
        from agents.metrics import llm_metrics
        from ops.metrics import register_source

        register_source("llm", llm_metrics)
        # Loading here makes a duplicate agent name a start-up error of every process (web, worker, beat).
        registry.load()
        post_migrate.connect(_sync_agent_rows, sender=self)


def _sync_agent_rows(**kwargs) -> None:
    from agents import registry

    registry.sync_rows()
