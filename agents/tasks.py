"""Celery tasks of the agents app: thin wrappers over their modules."""

from __future__ import annotations

from celery import shared_task

from agents.retention import prune_agent_logs, retention_cutoff


@shared_task(name="agents.prune_logs", ignore_result=True)
def prune_logs() -> int:
    """The daily retention job: audit rows older than REX_AGENT_LOG_RETENTION_DAYS go (none when it is 0)."""
    cutoff = retention_cutoff()
    return prune_agent_logs(cutoff) if cutoff else 0
