"""What an API key stands for (its token, user and organizations), remembered per web process for a short while.

Why: every API request looked up its token with its user (one query) and then the membership with its
organization (another); for a status read that was about half the request's CPU (docs/performance.md). Here a
process keeps, per key hash, the token, the user and the user's organizations for at most ``TTL_SECONDS``.

Why it stays safe: whatever could change the answer (a token saved, revoked or deleted, a user saved, a
deactivation or password change included, a membership or organization saved or deleted) bumps one generation
number held in Redis (``forget_credentials``, wired to those models' signals and to ``ApiToken.revoke``), and an
entry is used only while the generation it was cached under is still the current one. Every request reads that
number (one small Redis GET, where two PostgreSQL queries were), so a revocation in one process is refused by every
process on their next request. The bump happens at once and again when the transaction commits: a process that
read the old rows between the two cannot keep them past the commit. Expiry needs no bump: a cached token is still
checked against its ``expires_at`` on every request. If Redis cannot be read, nothing is cached or used.

The objects live in this process's memory only (the password hash never goes to Redis), and each request gets its
own copies, so one request's changes to ``request.user`` never reach another's.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from tenants.models import ApiToken, Membership, Organization

logger = logging.getLogger(__name__)

TTL_SECONDS = 60.0
GENERATION_KEY = "tenants:credentials:generation"
MAX_ENTRIES = 10_000  # a process serving more distinct keys than this starts over rather than grow without bound


@dataclass(frozen=True)
class Credentials:
    token: ApiToken  # with its user (token.user)
    organizations: tuple[Organization, ...]  # the user's, in membership order (the default one first)


@dataclass(frozen=True)
class _Entry:
    generation: int
    expires: float
    credentials: Credentials


_entries: dict[str, _Entry] = {}
_lock = threading.Lock()


def _current_generation() -> int | None:
    try:
        return int(cache.get(GENERATION_KEY) or 0)
    except Exception:  # Redis unreachable: authenticate from the database, cache nothing
        logger.warning("credentials cache: the generation could not be read; using the database", exc_info=True)
        return None


def _bump_generation() -> None:
    try:
        # add() is a no-op once the key exists; incr() is Redis's atomic INCR, so concurrent bumps all count.
        cache.add(GENERATION_KEY, 0, timeout=None)
        cache.incr(GENERATION_KEY)
    except Exception:  # logged; entries still lapse after TTL_SECONDS
        logger.error("credentials cache: the generation could not be bumped; cached credentials lapse within "
                     "%.0f s", TTL_SECONDS, exc_info=True)


def forget_credentials() -> None:
    """Every process stops using what it cached: now, and again once the current transaction commits."""
    with _lock:
        _entries.clear()
    _bump_generation()
    transaction.on_commit(_bump_generation)


def _load(key_hash: str) -> Credentials | None:
    token = ApiToken.objects.select_related("user").filter(key_hash=key_hash).first()
    if token is None:
        return None
    memberships = Membership.objects.filter(user_id=token.user_id).select_related("organization").order_by("id")
    return Credentials(token=token, organizations=tuple(m.organization for m in memberships))


def _copied(credentials: Credentials) -> Credentials:
    token = copy.copy(credentials.token)
    token.user = copy.copy(credentials.token.user)
    return Credentials(token=token, organizations=tuple(copy.copy(o) for o in credentials.organizations))


def credentials_for(key_hash: str) -> Credentials | None:
    """The token of this key hash with its user and their organizations (this request's own copies), or None."""
    if not settings.REX_CREDENTIALS_CACHE:
        return _load(key_hash)
    generation = _current_generation()
    entry = _entries.get(key_hash)
    if entry is not None and generation is not None and entry.generation == generation \
            and entry.expires > time.monotonic():
        return _copied(entry.credentials)
    credentials = _load(key_hash)
    if credentials is not None and generation is not None:
        remember(key_hash, credentials, generation)
    return credentials if credentials is None else _copied(credentials)


def remember(key_hash: str, credentials: Credentials, generation: int | None = None) -> None:
    """Keep (or refresh: the token's last_used_at after a write) what a key stands for, under ``generation``
    (default: the generation of the entry it replaces)."""
    with _lock:
        if generation is None:
            previous = _entries.get(key_hash)
            if previous is None:
                return
            generation, expires = previous.generation, previous.expires
        else:
            expires = time.monotonic() + TTL_SECONDS
        if len(_entries) >= MAX_ENTRIES and key_hash not in _entries:
            _entries.clear()
        _entries[key_hash] = _Entry(generation, expires, _copied(credentials))


def forget_on_change(sender: Any, **kwargs: Any) -> None:
    """post_save / post_delete of a token, user, membership or organization (connected in tenants.apps)."""
    forget_credentials()
