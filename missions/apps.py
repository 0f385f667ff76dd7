from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "missions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agents.idempotency import register_database_lookup
        from live.streams import register_stream
        from missions import dispatch  # noqa: F401  (registers the outbox's batch sender of missions to run)
        from missions.cli import SUBMIT
        from missions.events import STREAM
        from missions.metrics import mission_metrics
        from missions.models import Mission
        from missions.seed import seed_demo_missions
        from ops.cli import register_subcommand
        from ops.metrics import register_source
        from ops.seed import register_demo_seed

        register_database_lookup(Mission.recent_result)
        register_subcommand(SUBMIT)
        register_source("missions", mission_metrics)
        register_demo_seed("missions", seed_demo_missions, order=10)

        register_stream(STREAM, "mission rows and timeline events: {type: mission.event, mission, event}")
