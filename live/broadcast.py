"""The channel-layer side of live events: one event loop per process, and frames packed into few messages.

A dashboard socket (``live.consumers.LiveConsumer``) joins its organizations' groups; everything published for an
organization reaches it as ``live.frames`` channel-layer messages, each carrying up to ``FRAMES_PER_MESSAGE``
frames that the consumer writes to the browser one websocket frame each, in order.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
from collections.abc import Coroutine
from typing import Any

from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)

# Longest a broadcast may hold up the code that sent it (Redis unreachable or stalled).
BROADCAST_TIMEOUT_SECONDS = 5.0
# Frames per channel-layer message when many go out together; keeps one message well under Redis' and the
# layer's comfortable sizes (a mission frame is about 1 KB, a domain row a few hundred bytes).
FRAMES_PER_MESSAGE = 100


def organization_group(organization_id: int) -> str:
    """The Channels group of one organization's dashboard sockets (every stream)."""
    return f"rex.org.{organization_id}.live"


class _BroadcastLoop:
    """One event loop per process, on a daemon thread, that every broadcast from sync code runs on.

    Why not ``async_to_sync(layer.group_send)``: in a plain sync process (a Celery worker) that builds a new event
    loop per call, and channels_redis keeps its connection pool per loop, so every broadcast set up a loop and
    opened and closed a Redis connection: ~10 ms and ~5 ms of CPU per call on the 2-core bench machine, the
    largest single cost of a canary mission. One long-lived loop keeps one pool: ~0.5 ms (docs/performance.md).
    Blocking on the result keeps the contract: the call returns once Redis has the message, so one subject's
    frames go out in the order they were published.
    """

    def __init__(self) -> None:
        self._reset()
        os.register_at_fork(after_in_child=self._reset)  # the parent's loop thread does not exist in a child

    def _reset(self) -> None:
        self._lock = threading.Lock()
        self._loop: asyncio.AbstractEventLoop | None = None

    def _running_loop(self) -> asyncio.AbstractEventLoop:
        with self._lock:
            if self._loop is None:
                self._loop = asyncio.new_event_loop()
                threading.Thread(target=self._loop.run_forever, name="rex-broadcast-loop", daemon=True).start()
            return self._loop

    def run(self, coroutine: Coroutine[Any, Any, Any], timeout: float) -> Any:
        future = asyncio.run_coroutine_threadsafe(coroutine, self._running_loop())
        try:
            return future.result(timeout)
        except TimeoutError:
            future.cancel()
            raise


_broadcast_loop = _BroadcastLoop()


def send_frames(group: str, frames: list[dict[str, Any]]) -> None:
    """Send frames to a group now: one ``live.frames`` channel-layer message per ``FRAMES_PER_MESSAGE``."""
    for start in range(0, len(frames), FRAMES_PER_MESSAGE):
        broadcast(group, {"type": "live.frames", "frames": frames[start:start + FRAMES_PER_MESSAGE]})


def broadcast(group: str, message: dict[str, Any]) -> None:
    """Send one channel-layer message; a layer outage must never fail the change it reports: logged and dropped."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        _broadcast_loop.run(layer.group_send(group, message), BROADCAST_TIMEOUT_SECONDS)
    except Exception:
        frames = message.get("frames") or [message]
        logger.warning("could not broadcast %d frame(s) (%s) to %s", len(frames),
                       ", ".join(sorted({str(frame.get("type")) for frame in frames})), group, exc_info=True)
