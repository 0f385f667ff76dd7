"""Reachability of what REX needs: the database, Redis, and a Celery worker for each role (missions, control)."""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.db import connection

from rex_project.celery import WORKER_ROLE_QUEUES, roles_served_by
from rex_project.celery import app as celery_app
from rex_project.redis_urls import redis_client_url


def _timed(check) -> dict[str, Any]:
    started = time.monotonic()
    try:
        detail = check()
        ok = True
    except Exception as exc:  # noqa: BLE001 - any failure means "down"; the message says which
        detail, ok = f"{type(exc).__name__}: {exc}", False
    return {"ok": ok, "detail": detail, "ms": round((time.monotonic() - started) * 1000, 1)}


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _redis() -> str:
    client = redis.Redis.from_url(redis_client_url(settings.REDIS_URL), socket_timeout=1, socket_connect_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return "PONG"


def _workers() -> dict[str, list[str]]:
    """The workers answering within 1 s, by the role their queues serve; fails when a role has none.

    Asked for their queues rather than pinged, because a mission worker alone leaves sweeps unrun (and a control
    worker alone leaves missions queued): both count as down. The answer takes the whole second, since there is
    no telling how many workers will reply.
    """
    replies = celery_app.control.inspect(timeout=1.0).active_queues() or {}
    by_role: dict[str, list[str]] = {role: [] for role in WORKER_ROLE_QUEUES}
    for node, queues in sorted(replies.items()):
        for role in roles_served_by([queue["name"] for queue in queues or []]):
            by_role[role].append(node)
    if not replies:
        raise RuntimeError("no Celery worker answered within 1 s")
    missing = [role for role, nodes in by_role.items() if not nodes]
    if missing:
        wanted = "; ".join(f"{role}: {', '.join(WORKER_ROLE_QUEUES[role])}" for role in missing)
        raise RuntimeError(f"no worker reads the queues of the {' and '.join(missing)} role ({wanted}); "
                           f"answering: {', '.join(sorted(replies))}")
    return by_role


def check_health() -> dict[str, Any]:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    # Pinging workers goes through Redis; without Redis that answer is already known.
    checks["workers"] = _timed(_workers) if checks["redis"]["ok"] else {"ok": False, "detail": "redis is down",
                                                                         "ms": 0.0}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
