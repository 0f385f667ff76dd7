"""What this process publishes to the real broker, observed through Celery's ``before_task_publish`` signal."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from celery.signals import before_task_publish


@dataclass(frozen=True)
class PublishedTask:
    task: str
    args: tuple
    queue: str
    eta: str | None


@contextmanager
def published_tasks() -> Iterator[list[PublishedTask]]:
    seen: list[PublishedTask] = []

    def record(sender=None, body=None, routing_key=None, headers=None, **kwargs) -> None:
        args = body[0] if isinstance(body, tuple | list) else body.get("args", ())
        seen.append(PublishedTask(sender, tuple(args), routing_key, (headers or {}).get("eta")))

    before_task_publish.connect(record, weak=False)
    try:
        yield seen
    finally:
        before_task_publish.disconnect(record)


def published_mission_ids(seen: list[PublishedTask]) -> list[str]:
    """Every mission sent to run, alone (``run_mission``) or in a chunk (``run_batch``), in the order sent."""
    ids: list[str] = []
    for task in seen:
        if task.task == "missions.run_mission":
            ids.append(task.args[0])
        elif task.task == "missions.run_batch":
            ids.extend(task.args[0])
    return ids
