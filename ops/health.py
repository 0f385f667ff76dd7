"""Reachability of what REX needs: the database, Redis, and at least one Celery worker."""

from __future__ import annotations

import time
from typing import Any

import redis
from django.conf import settings
from django.db import connection

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


def _workers() -> list[str]:
    replies = celery_app.control.ping(timeout=1.0, limit=1)  # one answer is enough: return at once
    if not replies:
        raise RuntimeError("no Celery worker answered a ping within 1 s")
    return sorted(name for reply in replies for name in reply)


def check_health() -> dict[str, Any]:
    checks = {"database": _timed(_database), "redis": _timed(_redis)}
    # Pinging workers goes through Redis; without Redis that answer is already known.
    checks["workers"] = _timed(_workers) if checks["redis"]["ok"] else {"ok": False, "detail": "redis is down",
                                                                         "ms": 0.0}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}
