"""Running one call from several threads released at the same moment, as concurrent requests would."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connection

T = TypeVar("T")


def all_at_once(threads: int, call: Callable[[], T]) -> tuple[list[T], list[BaseException]]:
    """``call()`` in ``threads`` threads that start together; what they returned and what they raised."""
    start = threading.Barrier(threads, timeout=60)  # a stuck thread fails the test instead of hanging it
    results: list[T] = []
    errors: list[BaseException] = []

    def run() -> None:
        try:
            start.wait()
            results.append(call())
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    return results, errors
