"""Celery tasks: thin wrappers over the runner and the sweeper."""

from __future__ import annotations

from celery import shared_task

from missions import dispatch, runner


@shared_task(name="missions.run_mission", bind=True, ignore_result=True)
def run_mission(self, mission_id: str) -> str:
    return runner.run_claimed(mission_id, worker=self.request.hostname or "worker")


@shared_task(name="missions.sweep_missions", ignore_result=True)
def sweep_missions() -> dict[str, int]:
    return dispatch.sweep()
