"""Celery tasks: thin wrappers over the runner and the sweeper."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings

from missions import runner, sweeper


@shared_task(name="missions.run_mission", bind=True, ignore_result=True)
def run_mission(self, mission_id: str) -> str:
    return runner.run_claimed(mission_id, worker=self.request.hostname or "worker")


# A chunk starts missions only within its budget, so its last mission still gets a whole mission's time limits.
@shared_task(name="missions.run_batch", bind=True, ignore_result=True,
             soft_time_limit=settings.REX_MISSION_SOFT_TIME_LIMIT + settings.REX_BATCH_BUDGET_SECONDS,
             time_limit=settings.REX_MISSION_TIME_LIMIT + settings.REX_BATCH_BUDGET_SECONDS)
def run_batch(self, mission_ids: list[str]) -> dict[str, int]:
    """Missions committed together (``live.outbox``): one message, one claim, outcomes written together."""
    return runner.run_batch(mission_ids, worker=self.request.hostname or "worker")


@shared_task(name="missions.sweep_missions", ignore_result=True)
def sweep_missions() -> dict[str, int]:
    return sweeper.sweep()


_counter_client = None


@shared_task(name="missions.noop", ignore_result=True)
def noop(counter_key: str | None = None) -> None:
    """Does nothing: the bare-Celery baseline that ``make bench`` measures missions against (same worker, same
    queues, same acks_late / prefetch settings), and a cheap probe that a worker consumes a queue.

    With ``counter_key`` it INCRs that Redis key (one round trip on a kept-open connection) so the benchmark can
    count completions without a result backend.
    """
    global _counter_client
    if counter_key:
        if _counter_client is None:
            import redis
            from django.conf import settings

            from rex_project.redis_urls import redis_client_url

            _counter_client = redis.Redis.from_url(redis_client_url(settings.REDIS_URL))
        _counter_client.incr(counter_key)
