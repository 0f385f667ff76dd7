"""Moving a mission back in time for the dedupe-window tests: its row's timestamps, never a sleep."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from missions.models import Mission, MissionStatus


def created_seconds_ago(mission_id: str, seconds: float, *, finished: bool = True) -> None:
    """The mission was created ``seconds`` ago (and, if ``finished``, succeeded since)."""
    created = timezone.now() - timedelta(seconds=seconds)
    fields: dict = {"created_at": created}
    if finished:
        fields.update(status=MissionStatus.SUCCEEDED, finished_at=created + timedelta(seconds=1), result={"ok": True})
    Mission.objects.filter(pk=mission_id).update(**fields)
