"""Garbage collection for REX's long-running processes: settled once a process has imported what it serves with.

CPython's cyclic collector runs a young collection every 700 net allocations of container objects and, every so
often, a full one that walks every tracked object of the process. A REX web or pool process holds ~150 000 of them
after start-up (Django, DRF, Celery, ``phonenumbers``' metadata, the models), none of which ever become garbage, so
each full collection re-walks them for nothing. Work that builds many short-lived containers, the PII detector's
candidates and phrases above all, pays for it: a quarter of ``detect()``'s CPU was collection (``perf``, see
docs/performance.md, "GC settled").

``settle_after_startup`` does what long-running Python servers commonly do:

- ``gc.freeze()``: everything alive at that moment moves to the permanent generation, which no collection walks;
- a young-generation threshold of ``REX_GC_GEN0_THRESHOLD`` (default 10 000) instead of 700, so fewer young
  collections run and fewer short-lived objects are promoted only to die in an older generation.

Garbage cycles are still collected, only in larger batches; nothing that was garbage at start-up is frozen (one full
collection runs first). ``REX_GC_GEN0_THRESHOLD=0`` keeps Python's own threshold (the freeze still happens).
"""

from __future__ import annotations

import gc
import os

DEFAULT_GEN0_THRESHOLD = 10_000
ENV = "REX_GC_GEN0_THRESHOLD"


def gen0_threshold() -> int:
    """``REX_GC_GEN0_THRESHOLD`` as a whole number >= 0 (0: Python's own); anything else is refused in one line."""
    raw = os.environ.get(ENV, "").strip()
    if not raw:
        return DEFAULT_GEN0_THRESHOLD
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 0:
        raise ValueError(f"{ENV} must be a whole number >= 0 (0 keeps Python's own threshold), not {raw!r}")
    return value


def settle_after_startup() -> None:
    """Freeze what start-up left alive out of the collector's reach and raise the young generation's threshold.

    Call it once per process, after its imports and set-up (the Celery pool process after the fork, the web
    worker once its ASGI application is built, a long command before its loop); calling it again freezes
    whatever has been alive since, which is harmless.
    """
    threshold = gen0_threshold()
    gc.collect()
    gc.freeze()
    if threshold:
        _, older, oldest = gc.get_threshold()
        gc.set_threshold(threshold, older, oldest)
