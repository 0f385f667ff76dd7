"""Payment providers standing in for the outside world in tests (REX_PAYMENT_PROVIDER points at them).

The provider interface is billing's boundary with the payment company, so these are the fakes at that boundary:
one that records every call (and approves), one that declines, one that cannot be reached.
"""

from __future__ import annotations

import threading
from typing import ClassVar

from billing.models import Purchase
from billing.providers import ChargeResult, OfflineProvider, PaymentDeclined, PaymentProvider, PaymentUnavailable

PROVIDERS_MODULE = __name__


class RecordingProvider(OfflineProvider):
    name = "recording"
    charges: ClassVar[list[str]] = []
    # Every refund call (purchase id, amount), and the idempotency key each call carried, in order.
    refunds: ClassVar[list[tuple[str, int]]] = []
    refund_keys: ClassVar[list[str | None]] = []
    _lock = threading.Lock()

    @classmethod
    def reset(cls) -> None:
        with cls._lock:
            cls.charges.clear()
            cls.refunds.clear()
            cls.refund_keys.clear()
            OfflineProvider.refunds_by_key.clear()

    def charge(self, purchase: Purchase) -> ChargeResult:
        with self._lock:
            self.charges.append(str(purchase.pk))
        return super().charge(purchase)

    def refund(self, purchase: Purchase, amount_cents: int, *, idempotency_key: str | None = None) -> str:
        with self._lock:
            self.refunds.append((str(purchase.pk), amount_cents))
            self.refund_keys.append(idempotency_key)
        return super().refund(purchase, amount_cents, idempotency_key=idempotency_key)


class DecliningProvider(PaymentProvider):
    name = "declining"
    REASON = "card declined: insufficient funds"

    def charge(self, purchase: Purchase) -> ChargeResult:
        RecordingProvider.charges.append(str(purchase.pk))
        raise PaymentDeclined(self.REASON)

    def refund(self, purchase: Purchase, amount_cents: int, *, idempotency_key: str | None = None) -> str:
        raise PaymentDeclined("refunds are not accepted")


class UnavailableProvider(PaymentProvider):
    name = "unavailable"

    def charge(self, purchase: Purchase) -> ChargeResult:
        RecordingProvider.charges.append(str(purchase.pk))
        raise PaymentUnavailable("connection refused by payments.example:443")

    def refund(self, purchase: Purchase, amount_cents: int, *, idempotency_key: str | None = None) -> str:
        RecordingProvider.refund_keys.append(idempotency_key)
        raise PaymentUnavailable("connection refused by payments.example:443")


class NotAProvider:
    """Has the methods but not the interface: refused by get_provider."""

    def charge(self, purchase: Purchase) -> ChargeResult:
        return ChargeResult("nope")
