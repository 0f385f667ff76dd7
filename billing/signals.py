"""The billing hooks other apps subscribe to.

Each is sent with ``sender=Purchase`` and ``purchase=<the Purchase>``, only after the transaction that changed the
purchase committed (``billing.services``), so a receiver always sees the purchase's new state in the database and
never acts on a change that was rolled back. Receivers must be idempotent: the same purchase may be announced again
(ops re-running fulfilment from the admin, or a retried mission).

- ``purchase_completed``: the purchase was charged (status paid); create what was bought.
- ``purchase_activated``: what was bought is in place (status active).
- ``purchase_cancelled``: the purchase was refunded (status cancelled); take what was bought out of service.
"""

from __future__ import annotations

from django.dispatch import Signal

purchase_completed = Signal()
purchase_activated = Signal()
purchase_cancelled = Signal()
