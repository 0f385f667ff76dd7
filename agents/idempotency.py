"""Agent-level idempotency: a finished result is found again instead of being recomputed.

The key (the brief's ``generate_idempotency_key``) is the SHA-256 of the agent name and the canonical JSON of the
params, or of the agent name and the client's own idempotency key when it gave one. It is stored on the mission
(``Mission.result_key``) at intake. A successful result is cached in Redis for an hour under that key, namespaced
by organization so two tenants never share a result. When Redis cannot be reached the same question goes to the
database (the organization's newest mission with that key that succeeded within the hour), and the caller never
sees the difference. A Redis *miss* is not asked again of the database: a miss is the normal case on the hot path,
and side effects that leave the building carry their own idempotency keys anyway (DESIGN.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import redis
from django.conf import settings
from django.utils import timezone

from core.canonical import canonical_json  # re-exported: agents.idempotency.canonical_json is public
from rex_project.redis_urls import redis_client_url

if TYPE_CHECKING:
    from agents.base import MissionLike as Mission

# Where a finished result is found when Redis is not answering: the missions app registers its lookup
# (``register_database_lookup``), since agents sit below missions and cannot read its table themselves.
DatabaseLookup = Callable[[int, str, datetime], "dict[str, Any] | None"]
_database_lookup: DatabaseLookup | None = None


def register_database_lookup(lookup_result: DatabaseLookup) -> None:
    """``lookup_result(organization_id, result_key, since)``: the newest successful result since then, or None."""
    global _database_lookup
    _database_lookup = lookup_result

logger = logging.getLogger(__name__)

_client: redis.Redis | None = None
_client_pid: int | None = None
_client_lock = threading.Lock()


def generate_idempotency_key(agent_name: str, params: Any, client_key: str | None = None) -> str:
    """SHA-256 of agent name + canonical params (or + the client's key, which then stands for the params)."""
    material = f"{agent_name}\nkey:{client_key}" if client_key else f"{agent_name}\n{canonical_json(params)}"
    return hashlib.sha256(material.encode()).hexdigest()


def _redis() -> redis.Redis:
    """A client with short timeouts: an unreachable Redis must cost the worker a moment, not a stall."""
    global _client, _client_pid
    with _client_lock:
        if _client is None or _client_pid != os.getpid():  # a forked pool process gets its own connections
            url = redis_client_url(settings.REX_IDEMPOTENCY_REDIS_URL or settings.REDIS_URL)
            timeout = settings.REX_IDEMPOTENCY_REDIS_TIMEOUT_SECONDS
            _client = redis.Redis.from_url(url, socket_timeout=timeout, socket_connect_timeout=timeout)
            _client_pid = os.getpid()
        return _client


def reset_client() -> None:
    """Forget the client (tests that change the Redis URL or stop the server)."""
    global _client
    with _client_lock:
        _client = None


def _cache_key(mission: Mission) -> str:
    return f"{settings.REX_CACHE_PREFIX}:idem:{mission.organization_id}:{mission.result_key}"


def lookup(mission: Mission) -> tuple[dict[str, Any], str] | None:
    """The result of this exact work finished within the TTL, and where it came from ("cache" or "database")."""
    if not mission.result_key:
        return None
    try:
        raw = _redis().get(_cache_key(mission))
    except redis.RedisError as exc:
        logger.warning("idempotency cache unreachable (%s); asking the database", exc)
        return _lookup_database(mission)
    if raw is None:
        return None
    try:
        return json.loads(raw), "cache"
    except ValueError:
        logger.warning("unreadable idempotency cache entry for mission %s; ignoring it", mission.id)
        return None


def _lookup_database(mission: Mission) -> tuple[dict[str, Any], str] | None:
    if _database_lookup is None:
        return None
    since = timezone.now() - timedelta(seconds=settings.REX_IDEMPOTENCY_TTL_SECONDS)
    found = _database_lookup(mission.organization_id, mission.result_key, since)
    return None if found is None else (found, "database")


def store(mission: Mission, result: dict[str, Any]) -> None:
    """Cache a successful result for the TTL. Best effort: without Redis the database answers later lookups."""
    if not mission.result_key:
        return
    try:
        _redis().set(_cache_key(mission), canonical_json(result), ex=int(settings.REX_IDEMPOTENCY_TTL_SECONDS))
    except redis.RedisError as exc:
        logger.warning("idempotency cache unreachable (%s); result of %s kept in the database only", exc, mission.id)
