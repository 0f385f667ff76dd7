"""The files of prometheus_client's multi-process mode, for a server with several web processes.

Django-free on purpose: gunicorn's master reads ``ops.webserver`` (which calls these) before it forks, and must not
import the project. ``ops.metrics`` reads the same directory at scrape time.
"""

from __future__ import annotations

import os
from pathlib import Path

MULTIPROC_DIR_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> Path | None:
    value = os.environ.get(MULTIPROC_DIR_ENV, "").strip()
    return Path(value) if value else None


def prepare_multiprocess_dir() -> Path | None:
    """Call once when the web server starts, before it forks its workers: makes the directory and empties it.

    Files left by a previous run would otherwise be added to this run's figures (prometheus_client's rule: wipe the
    directory between runs). Does nothing, and returns None, when ``PROMETHEUS_MULTIPROC_DIR`` is not set.
    """
    path = multiprocess_dir()
    if path is None:
        return None
    path.mkdir(parents=True, exist_ok=True)
    for stale in path.glob("*.db"):
        stale.unlink(missing_ok=True)
    return path


def mark_worker_dead(pid: int) -> None:
    """Call when a web worker process exits (gunicorn's ``child_exit``): drops its live-gauge files.

    Its counters and histogram samples stay, as prometheus_client intends: what it served still counts.
    """
    if multiprocess_dir() is not None:
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(pid)
