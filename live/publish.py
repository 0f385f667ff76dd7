"""The one "after commit" API: live frames for dashboards, batched work and side effects, never before COMMIT.

- ``publish(organization_id, stream, frame)``: a frame for the organization's dashboard sockets;
- ``after_commit(call)``: a side effect that must never happen for a change the database rolls back (a Celery
  send, a signal to other apps, a refund);
- ``add_to_batch(sender, key, item)``: work a registered sender sends together per key (``live.outbox``).

Inside a transaction everything waits for its commit (one outbox per transaction, ``live.outbox``) and is
dropped if it rolls back; outside one it happens at once. Every app publishes through here (Zulip's
``send_event_on_commit``), so "never show a rolled-back change" lives in one place.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any

from live import broadcast, outbox
from live.streams import is_stream


def publish(organization_id: int, stream: str, frame: dict[str, Any]) -> None:
    """Send ``frame`` (a JSON object with a ``type``) to the organization's sockets on ``stream``, after commit."""
    publish_many(organization_id, stream, [frame])


def publish_many(organization_id: int, stream: str, frames: list[dict[str, Any]]) -> None:
    """Several frames of one stream for one organization, in order, after commit."""
    if not is_stream(stream):
        raise ValueError(f"no live stream named {stream!r} is declared (live.streams.register_stream)")
    if not frames:
        return
    group = broadcast.organization_group(organization_id)
    stamped = [{**frame, "stream": stream} for frame in frames]
    pending = outbox.current()
    if pending is None:
        broadcast.send_frames(group, stamped)
        return
    for frame in stamped:
        pending.add_frame(group, frame)


def after_commit(call: Callable[[], Any]) -> None:
    """Run ``call`` once the transaction in progress commits (at once outside one); never if it rolls back."""
    pending = outbox.current()
    if pending is None:
        outbox.run_guarded(call, getattr(call, "__qualname__", "call"))
    else:
        pending.add_call(call)


def add_to_batch(sender: str, key: Hashable, item: Any) -> None:
    """Queue ``item`` for the registered batch ``sender``; sent with the others of its key after commit."""
    pending = outbox.current()
    if pending is None:
        outbox.send_batch_now(sender, key, [item])
    else:
        pending.add_to_batch(sender, key, item)
