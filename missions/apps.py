from django.apps import AppConfig


class MissionsConfig(AppConfig):
    name = "missions"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from agents.idempotency import register_database_lookup
        from live.streams import register_stream
        from missions import dispatch  # noqa: F401  (registers the outbox's batch sender of missions to run)
        from missions.events import STREAM
        from missions.models import Mission

        register_database_lookup(Mission.recent_result)

        register_stream(STREAM, "mission rows and timeline events: {type: mission.event, mission, event}")
