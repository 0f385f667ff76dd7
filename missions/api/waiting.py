"""``GET /api/missions/status?ids=…&wait=<seconds>``: answer when the missions are final, without holding a thread.

Why a streaming body rather than an async view: under ASGI the middleware chain is sync on purpose
(``core.middleware.OneThreadPerRequestMiddleware``), so Django would run an async view through ``async_to_sync`` on
the request's thread and hold that thread, and its pooled database connection, for the whole wait. Instead the sync
DRF view does what every API view does (DRF's authentication, the throttles, ``OrganizationMember``'s tenant, the
validation) and reads the statuses once; when some are not final yet it answers a response whose body is an async
generator. Django's ASGI handler iterates that body on the worker's event loop after the middleware chain has
returned, so a waiting request costs a coroutine and a timer: each re-read borrows a pooled connection for one small
query and gives it back.

Why re-reading with a backoff rather than waking on the mission-finished broadcasts (``live``): those go to the
channel layer's per-organization groups; listening to them would take a channel-layer subscription per waiting
request, and an organization's every event would wake every waiter. The backoff starts at 20 ms (a batch of
canaries is often done within one or two steps) and grows to 250 ms, so a request waiting 10 s re-reads about 45
times, one indexed query of at most 100 primary keys each.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

from asgiref.sync import sync_to_async
from django.db import connection
from django.http import StreamingHttpResponse
from rest_framework.renderers import JSONRenderer

from missions.models import FINAL_STATUSES, Mission
from tenants.access import scoped
from tenants.models import Organization

MAX_WAIT_SECONDS = 30
FIRST_RECHECK_SECONDS = 0.02
LONGEST_RECHECK_SECONDS = 0.25


def statuses_of(organization: Organization, ids: list[uuid.UUID]) -> dict[str, list[Any]]:
    """Where the missions stand, in the order of ``ids``, for the request's (already resolved) organization: another
    organization's mission is "missing", exactly like one that never existed."""
    rows = {row["id"]: row for row in scoped(Mission.objects.all(), organization).filter(pk__in=ids)
            .values("id", "type", "status", "attempts", "finished_at")}
    return {"missions": [rows[mission_id] for mission_id in ids if mission_id in rows],
            "missing": [mission_id for mission_id in ids if mission_id not in rows]}


def all_final(statuses: dict[str, list[Any]]) -> bool:
    """Nothing left to wait for: every mission found is succeeded, failed or cancelled (awaiting approval is not
    final). A missing id never becomes a mission of the caller's, so it does not hold the wait."""
    return all(row["status"] in FINAL_STATUSES for row in statuses["missions"])


def _release_connection() -> None:
    """Give the request thread's database connection back (to the web role's pool) while the request waits.

    Not inside a transaction: closing there would doom it (an in-process test's wrapping transaction, say).
    """
    if not connection.in_atomic_block:
        connection.close()


def _reread(organization: Organization, ids: list[uuid.UUID]) -> dict[str, list[Any]]:
    try:
        return statuses_of(organization, ids)
    finally:
        _release_connection()


async def _statuses_when_final(first: dict[str, list[Any]], organization: Organization, ids: list[uuid.UUID],
                               wait_seconds: float) -> AsyncIterator[bytes]:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + wait_seconds
    statuses = first
    await sync_to_async(_release_connection)()
    delay = FIRST_RECHECK_SECONDS
    while not all_final(statuses):
        remaining = deadline - loop.time()
        if remaining <= 0:
            break
        await asyncio.sleep(min(delay, remaining))
        # thread_sensitive (the default): the read runs on the request's own thread, where its connection lives.
        statuses = await sync_to_async(_reread)(organization, ids)
        delay = min(delay * 2, LONGEST_RECHECK_SECONDS)
    yield JSONRenderer().render(statuses)


def statuses_response_when_final(first: dict[str, list[Any]], organization: Organization, ids: list[uuid.UUID],
                                 wait_seconds: float) -> StreamingHttpResponse:
    """A 200 whose JSON body, the same as without ``wait``, is written once every mission is final or the wait
    is over (then with where they stand at that moment)."""
    return StreamingHttpResponse(_statuses_when_final(first, organization, ids, wait_seconds),
                                 content_type="application/json")
