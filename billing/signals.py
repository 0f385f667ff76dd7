"""The billing hooks other apps subscribe to.

Each is sent with ``sender=Purchase`` and ``purchase=<the Purchase>``, only after the transaction that changed the
purchase committed (``live.publish.after_commit``), so a receiver always sees the purchase's new state in the database and
never acts on a change that was rolled back. Receivers must be idempotent: the same purchase may be announced again
(ops re-running fulfilment from the admin, or a retried mission).

- ``purchase_completed``: the purchase was charged (status paid); create what was bought.
- ``purchase_activated``: what was bought is in place (status active).
- ``purchase_cancelled``: the purchase was cancelled and its refund recorded (status refunding, or cancelled once
  the provider confirmed the refund); take what was bought out of service.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import models
from django.dispatch import Signal

from live.publish import after_commit

logger = logging.getLogger(__name__)

purchase_completed = Signal()
purchase_activated = Signal()
purchase_cancelled = Signal()


def announce_on_commit(signal: Signal, purchase: models.Model) -> None:
    """Send ``signal`` for ``purchase`` once the current transaction commits (never for a rolled-back change)."""
    model, purchase_id = type(purchase), purchase.pk
    after_commit(lambda: announce(signal, model, purchase_id))


def announce(signal: Signal, model: type[models.Model], purchase_id: Any) -> None:
    # Read again after commit: receivers see what the database holds, not a stale instance.
    purchase = model._default_manager.select_related("organization").get(pk=purchase_id)
    # One failing receiver must not keep the others from running, nor turn a paid purchase into an error for the
    # buyer; it is logged, and ``billing.services.fulfil`` (the admin's "run fulfilment again") re-announces
    # once it is fixed.
    for receiver, outcome in signal.send_robust(sender=model, purchase=purchase):
        if isinstance(outcome, Exception):
            logger.error("billing hook %s failed for purchase %s", getattr(receiver, "__qualname__", receiver),
                         purchase_id, exc_info=(type(outcome), outcome, outcome.__traceback__))
