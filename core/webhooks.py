"""The replay guard of incoming webhooks: each delivery (or event) id is acted on once.

Providers deliver again when they do not get a 2xx, and an attacker may replay a signed request inside its
timestamp window. The guard remembers an id in the cache (``cache.add``: atomic, so two deliveries at once
cannot both be first) for longer than any replay could still pass the signature's timestamp check, and forgets
it when the delivery was not processed, so the provider's redelivery is processed instead of taken for a replay.

What to do when the cache cannot be reached is the caller's call (``fail_open``):

- ``True``: process anyway and log (for a handler that is idempotent by itself, e.g. it touches only rows still
  pending);
- ``False``: raise ``RedisError`` and let the view answer 503, so the provider retries later rather than have an
  event counted twice (bounce and complaint counters are not idempotent).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplayGuard:
    namespace: str          # "sendgrid-event": ids of different providers never collide
    remember_seconds: int   # longer than a replay can still pass the signature's timestamp check
    fail_open: bool = False

    def key(self, delivery_id: str) -> str:
        return f"{self.namespace}:{delivery_id}"

    def first_delivery(self, delivery_id: str) -> bool:
        """True the first time ``delivery_id`` is seen (it is remembered from now on), False for a replay."""
        try:
            return bool(cache.add(self.key(delivery_id), 1, timeout=self.remember_seconds))
        except RedisError:
            if not self.fail_open:
                raise
            logger.warning("cannot record %s delivery %s; processing it anyway", self.namespace, delivery_id,
                           exc_info=True)
            return True

    def forget(self, delivery_id: str) -> None:
        """Not processed: the provider's redelivery (same id) must not be taken for a replay."""
        try:
            cache.delete(self.key(delivery_id))
        except RedisError:
            if not self.fail_open:
                raise
            logger.warning("cannot forget %s delivery %s", self.namespace, delivery_id, exc_info=True)

    @contextmanager
    def forgotten_on_error(self, delivery_id: str) -> Iterator[None]:
        """Around the processing of a first delivery: an exception forgets the id, then propagates."""
        try:
            yield
        except Exception:
            self.forget(delivery_id)
            raise
