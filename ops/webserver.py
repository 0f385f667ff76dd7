"""The web role's server: gunicorn managing uvicorn workers, one configuration for ``rex up``, tests and images.

    gunicorn -c python:ops.webserver -b HOST:PORT rex_project.asgi:application

One daphne process served every HTTP request and websocket on one core (issue 12: ~61 POST/s); gunicorn forks
``REX_WEB_WORKERS`` uvicorn processes that share the listening socket, so requests use every core. Each worker is
a full ASGI server: HTTP through Django, websockets (``/ws/live/``) through Channels, as under daphne.

Read by gunicorn's master (``-c python:ops.webserver``) before it forks: this module imports nothing of Django, so
the master stays small and each worker imports the project itself (no ``preload_app``: a database or Redis
connection opened before the fork would be shared by every worker).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from ops.metrics_files import mark_worker_dead, prepare_multiprocess_dir


def cores() -> int:
    """Cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def default_workers() -> int:
    # One event-loop process per core: each worker overlaps its own requests' I/O waits (database, Redis), so more
    # processes than cores only add memory and context switches; at least 2 so one busy worker never stalls all.
    return max(2, cores())


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise SystemExit(f"{name} must be a whole number of processes, not {raw!r}") from None
    if value < 1:
        raise SystemExit(f"{name} must be at least 1, not {value}")
    return value


workers = _positive_int("REX_WEB_WORKERS", default_workers())
# uvicorn's worker class: HTTP/1.1 (httptools) and websockets on uvloop.
worker_class = "uvicorn_worker.UvicornWorker"
# Which proxies' X-Forwarded-For / X-Forwarded-Proto are believed (the client address that throttles and the
# login lockout key on, and request.is_secure()). Only the local machine by default: a client elsewhere cannot
# choose its own address by sending the header.
forwarded_allow_ips = os.environ.get("REX_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# A worker that stops answering gunicorn's heartbeat this long is killed and replaced. Requests themselves are
# short (missions run on Celery); long-lived websockets do not block the heartbeat, which runs on the event loop.
timeout = 60
# On SIGTERM workers stop accepting and finish what they serve for this long (rex up, Kubernetes, compose).
graceful_timeout = 20
keepalive = 5
# Heartbeat files in memory rather than on a container's overlay disk (gunicorn's advice for Docker).
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None
accesslog = None  # the proxy logs requests; Django logs errors
errorlog = "-"
loglevel = os.environ.get("REX_LOG_LEVEL", "info").lower()
proc_name = "rex-web"

# The web role's database connections come from a pool per worker (rex_project.settings, REX_DB_POOL_SIZE): under
# ASGI every request runs its sync code in a thread of its own, so a persistent connection (CONN_MAX_AGE) was
# opened per request and never reused. The workers are forked after this runs and inherit the environment.
os.environ.setdefault("REX_DB_POOL_SIZE", "4")


def on_starting(server: Any) -> None:
    """Start with an empty metrics directory: files of a previous run's workers would be counted as live ones."""
    prepare_multiprocess_dir()


def child_exit(server: Any, worker: Any) -> None:
    """A worker that exited stops counting in the live gauges of the metrics endpoint."""
    mark_worker_dead(worker.pid)
