"""Signal receivers of the replies app (connected in ``RepliesConfig.ready``)."""

from __future__ import annotations

from typing import Any

from replies.models import InboundMessage
from replies.services import broadcast_inbound


def inbound_saved(sender: type[InboundMessage], instance: InboundMessage, **kwargs: Any) -> None:
    """A message read, triaged or relabelled: its row goes to the inbox pages once the transaction commits (rows
    written with ``bulk_create`` or ``update()`` are sent with ``replies.services.publish_inbound``)."""
    broadcast_inbound([instance.pk])
