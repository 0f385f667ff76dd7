"""The request id (and the mission being worked on) of whatever this thread or task is doing right now.

One id follows a piece of work from the HTTP request that started it, through the Celery messages it sends, into
the worker that runs them: ``core.middleware.RequestIdMiddleware`` sets it per request (the client's
``X-Request-ID`` when it is sane, a new one otherwise), ``rex_project.celery`` carries it in a message header and
restores it in the worker, ``core.logs`` puts it on every log record, and the audit rows (``MissionEvent``,
``CommandDecision``, ``AgentLog``) store it. Context variables rather than thread locals: under ASGI a request's
sync code hops threads, and asgiref copies context variables along with it.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token

# Longest request id kept: room for a UUID, a W3C trace id or a load balancer's own id, and no more, since it is
# stored on every audit row and printed on every log line.
MAX_REQUEST_ID_LENGTH = 64
# Letters, digits and a few separators: nothing that could break a log line, a header or a JSON string.
_SANE_REQUEST_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._:-]{{0,{MAX_REQUEST_ID_LENGTH - 1}}}")

_request_id: ContextVar[str] = ContextVar("rex_request_id", default="")
_mission_id: ContextVar[str] = ContextVar("rex_mission_id", default="")


def current_request_id() -> str:
    """The id of the request (or task chain) this code runs for; "" outside any (a shell, a migration)."""
    return _request_id.get()


def current_mission_id() -> str:
    """The mission a worker is running right now; "" when none."""
    return _mission_id.get()


def new_request_id() -> str:
    return uuid.uuid4().hex


def accepted_request_id(offered: str | None) -> str | None:
    """``offered`` if it is a request id REX can carry as it is (bounded length and charset), else None."""
    if offered and _SANE_REQUEST_ID.fullmatch(offered):
        return offered
    return None


def enter_request_id(request_id: str) -> Token[str]:
    """Work from here on runs under ``request_id`` until ``leave_request_id(token)``; for code whose start and end
    are two separate hooks (Celery's task_prerun / task_postrun). Otherwise use ``request_id_bound``."""
    return _request_id.set(request_id)


def leave_request_id(token: Token[str]) -> None:
    _request_id.reset(token)


@contextmanager
def request_id_bound(request_id: str) -> Iterator[str]:
    """Run the block under ``request_id``; the previous one (usually none) is back afterwards."""
    token = enter_request_id(request_id)
    try:
        yield request_id
    finally:
        leave_request_id(token)


@contextmanager
def mission_bound(mission_id: object) -> Iterator[None]:
    """Log records written inside the block name this mission."""
    token = _mission_id.set(str(mission_id))
    try:
        yield
    finally:
        _mission_id.reset(token)
