"""The Celery workers online and their concurrency, for the agents board.

``celery inspect stats`` is a broadcast that waits for every worker's answer (up to its timeout): asked on every
page view it would hold the page for a second. The answer is kept in Django's cache for
``REX_WORKERS_CACHE_SECONDS``, so at most one request in that time waits for it.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

CACHE_KEY = "monitoring:workers-online"
INSPECT_TIMEOUT_SECONDS = 1.0


def _ask() -> list[dict[str, Any]]:
    from rex_project.celery import app as celery_app

    try:
        inspect = celery_app.control.inspect(timeout=INSPECT_TIMEOUT_SECONDS)
        stats = inspect.stats() or {}
        active_queues = inspect.active_queues() or {}
    except OSError:  # the broker is away: nobody can be seen online
        return []
    workers = []
    for name in sorted(stats):
        pool = stats[name].get("pool") or {}
        workers.append({
            "name": name,
            "concurrency": pool.get("max-concurrency"),
            "processes": len(pool.get("processes") or []),
            "queues": sorted(q.get("name", "") for q in active_queues.get(name) or []),
        })
    return workers


def workers_online() -> dict[str, Any]:
    """{"workers": [...], "checked_at": iso}: cached, so a page never waits on the broadcast more than once."""
    found = cache.get(CACHE_KEY)
    if found is None:
        found = {"workers": _ask(), "checked_at": timezone.now().isoformat()}
        cache.set(CACHE_KEY, found, settings.REX_WORKERS_CACHE_SECONDS)
    return found
