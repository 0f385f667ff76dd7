"""The Celery app. Configuration lives in settings (CELERY_* names) so there is one place to read it."""

from __future__ import annotations

import os
from contextvars import Token

from celery import Celery, signals
from kombu import Exchange, Queue

from core import request_context
from core.processes import settle_after_startup

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")

app = Celery("rex")
app.config_from_object("django.conf:settings", namespace="CELERY")

# One queue per mission priority, plus a control queue for periodic work (the sweeper that rescues stuck missions,
# the sequencer and warmup ticks). Mission workers list their queues high → low (see rex_project.settings for the
# order strategy).
MISSION_QUEUES = {"high": "missions.high", "normal": "missions.normal", "low": "missions.low"}
CONTROL_QUEUE = "rex.control"
ALL_QUEUES = [MISSION_QUEUES["high"], MISSION_QUEUES["normal"], MISSION_QUEUES["low"], CONTROL_QUEUE]

# Which queues each kind of worker process consumes. Control work has its own worker (and pool) because a worker
# reading its queues in priority order takes from rex.control only when every mission queue is empty: behind a
# backlog, sweeps expired unrun and a crashed mission stayed `running` past its lease (issue 12). `rex up`, the
# test fixtures and the deployment roles (docs/operations.md) all build their command line from here.
WORKER_ROLE_QUEUES: dict[str, tuple[str, ...]] = {
    "mission": (MISSION_QUEUES["high"], MISSION_QUEUES["normal"], MISSION_QUEUES["low"]),
    "control": (CONTROL_QUEUE,),
}
# The node name of each role's worker (%h: Celery puts the host name in), so `celery inspect` tells them apart.
WORKER_ROLE_NODE_NAMES: dict[str, str] = {"mission": "rex@%h", "control": "rex-control@%h"}
# Control work is short and periodic; two pool processes let a slow tick never hold up a sweep.
DEFAULT_CONTROL_CONCURRENCY = 2


def worker_argv(role: str | None, *, concurrency: int | None = None, node_name: str | None = None,
                python: str | None = None) -> list[str]:
    """The command line of a Celery worker of ``role`` ("mission" or "control").

    ``role=None`` is one worker consuming every role's queues: only for a single-process test set-up where
    nothing queues up behind missions, never for a deployment. ``python`` runs Celery as ``python -m celery``
    (the virtualenv's interpreter); without it the argv starts with ``celery`` as in a container's command.
    """
    if role is not None and role not in WORKER_ROLE_QUEUES:
        raise ValueError(f"unknown worker role {role!r}; known roles: {', '.join(WORKER_ROLE_QUEUES)}")
    queues = WORKER_ROLE_QUEUES[role] if role is not None else tuple(ALL_QUEUES)
    node = node_name or WORKER_ROLE_NODE_NAMES[role or "mission"]
    argv = [python, "-m", "celery"] if python else ["celery"]
    argv += ["-A", "rex_project", "worker", "-Q", ",".join(queues), "-n", node]
    if concurrency is not None:
        argv += ["-c", str(concurrency)]
    return argv


def roles_served_by(queues: list[str]) -> set[str]:
    """The roles a worker consuming ``queues`` serves (a role is served when every one of its queues is read)."""
    return {role for role, wanted in WORKER_ROLE_QUEUES.items() if set(wanted) <= set(queues)}


_exchange = Exchange("rex", type="direct")
app.conf.task_queues = [Queue(name, _exchange, routing_key=name) for name in ALL_QUEUES]
app.conf.task_default_queue = MISSION_QUEUES["normal"]
app.conf.task_default_exchange = "rex"
app.conf.task_default_routing_key = MISSION_QUEUES["normal"]

app.autodiscover_tasks()


@signals.worker_process_init.connect
def _settle_pool_process(**kwargs) -> None:
    # A pool process starts as a fork of the worker, which imported Django, the tasks and the agents: all of it
    # long-lived, so out of the collector's reach from here on (core.processes).
    settle_after_startup()


@signals.task_prerun.connect
@signals.task_postrun.connect
def _close_old_connections(sender=None, **kwargs) -> None:
    # With CELERY_DB_REUSE_MAX set (see settings) connections outlive a task; like Django around a request, drop
    # one that is past CONN_MAX_AGE (0: after every task) or broken by an error. Not for an eager task: it runs
    # inside its caller's transaction.
    if getattr(getattr(sender, "request", None), "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()


# --- the request id, from the message that sends a task to the worker that runs it (core.request_context) -----------

# The message header that carries it. Celery copies a message's headers onto the task's request, so the worker
# reads it back as ``task.request.rex_request_id``.
REQUEST_ID_HEADER = "rex_request_id"
_bound_request_ids: dict[str, Token[str]] = {}


@signals.before_task_publish.connect
def _send_request_id(sender=None, headers=None, **kwargs) -> None:
    # Any task sent while serving a request (or while running a task that came from one) carries the request's id;
    # a retry's message, sent by the worker, carries it on.
    request_id = request_context.current_request_id()
    if request_id and headers is not None:
        headers.setdefault(REQUEST_ID_HEADER, request_id)


@signals.task_prerun.connect
def _restore_request_id(task_id=None, task=None, **kwargs) -> None:
    request = getattr(task, "request", None)
    if request is None or getattr(request, "is_eager", False):
        return  # an eager task runs inline, already under its caller's id
    # A task sent from no request (a beat job) starts a chain of its own, named after its task id.
    offered = getattr(request, REQUEST_ID_HEADER, None)
    request_id = (request_context.accepted_request_id(offered if isinstance(offered, str) else None)
                  or request_context.accepted_request_id(task_id) or request_context.new_request_id())
    _bound_request_ids[task_id] = request_context.enter_request_id(request_id)


@signals.task_postrun.connect
def _forget_request_id(task_id=None, **kwargs) -> None:
    token = _bound_request_ids.pop(task_id, None)
    if token is not None:
        request_context.leave_request_id(token)
