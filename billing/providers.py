"""The outside parties billing deals with: the payment provider that takes the money and the registrar that sells
domain names. Both are interfaces with an offline implementation that never leaves the building, chosen by
settings (``REX_PAYMENT_PROVIDER``, ``REX_DOMAIN_REGISTRAR``: "offline" or a dotted path to a subclass).

A real payment provider must be idempotent: ``billing.services`` calls ``charge`` again for a purchase left pending
(the provider was unreachable, or the process died between the provider's answer and our commit), and ``refund``
again for a refund whose answer was not recorded. Passing ``provider_idempotency_key(purchase)`` as the charge's
idempotency key, and the ``idempotency_key`` billing stored with the refund as the refund's (Stripe's
``Idempotency-Key`` header, say), turns those retries into replays of the first answer instead of second charges or
refunds. See docs/billing.md.
"""

from __future__ import annotations

import itertools
import re
import threading
from abc import ABC, abstractmethod
from collections.abc import Collection, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, TypeVar

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string
from django.utils.text import slugify

from billing.inventory import domains_on_record
from core.names import normalize_domain_name

if TYPE_CHECKING:
    from billing.models import Purchase
    from tenants.models import Organization


# --- payments ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ChargeResult:
    """The provider's answer to an approved charge: its reference for the payment (shown to ops, used for refunds)."""

    reference: str


class PaymentDeclined(Exception):
    """The provider refused the charge (card declined, account closed, fraud check). Retrying will not help."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PaymentUnavailable(Exception):
    """The provider could not be asked (timeout, 5xx, network). Nothing is known to be charged; retry later."""


def provider_idempotency_key(purchase: Purchase, operation: str = "charge") -> str:
    """The key a real provider should receive with ``operation`` on ``purchase``: stable across every retry."""
    return f"rex-{operation}-{purchase.pk}"


class PaymentProvider(ABC):
    """Takes and gives back money for purchases. Subclass it and point REX_PAYMENT_PROVIDER at the subclass."""

    #: Stored on each purchase (``Purchase.provider``, 32 characters at most).
    name: ClassVar[str] = "custom"

    @abstractmethod
    def charge(self, purchase: Purchase) -> ChargeResult:
        """Charge ``purchase.total_cents`` in ``purchase.currency`` to ``purchase.organization``.

        Raises ``PaymentDeclined(reason)`` when refused and ``PaymentUnavailable`` when the provider cannot be
        reached. Must be idempotent on the purchase (see ``provider_idempotency_key``).
        """

    @abstractmethod
    def refund(self, purchase: Purchase, amount_cents: int, *, idempotency_key: str | None = None) -> str:
        """Give ``amount_cents`` of the purchase's charge back; returns the provider's reference for the refund.

        ``idempotency_key`` is the refund's key, stored by billing before this call (``None`` only from callers
        outside billing: use ``provider_idempotency_key(purchase, "refund")``). A repeated key must answer the
        first refund's reference and move no money again. Raises ``PaymentUnavailable`` when the provider cannot
        be reached, ``PaymentDeclined`` when it refuses.
        """


@dataclass(frozen=True)
class OfflineRefund:
    purchase_id: str
    amount_cents: int
    reference: str


class OfflineProvider(PaymentProvider):
    """Approves every charge and refund without talking to anything: the embedded default and the test set-up.

    Its references are derived from the purchase, so a retried charge gets the same reference, as a real
    idempotent provider would answer. Refunds are remembered by idempotency key, as a real provider remembers
    them: a repeated key answers the first refund and refunds nothing more (``refunds_by_key`` holds one per
    key). The memory is the process's: the offline provider moves no money, so nothing is lost with it.
    """

    name = "offline"
    refunds_by_key: ClassVar[dict[str, OfflineRefund]] = {}
    _refunds_lock: ClassVar[threading.Lock] = threading.Lock()

    def charge(self, purchase: Purchase) -> ChargeResult:
        return ChargeResult(reference=f"offline-{purchase.pk}")

    def refund(self, purchase: Purchase, amount_cents: int, *, idempotency_key: str | None = None) -> str:
        key = idempotency_key or provider_idempotency_key(purchase, "refund")
        with self._refunds_lock:
            first = self.refunds_by_key.setdefault(key, OfflineRefund(
                purchase_id=str(purchase.pk), amount_cents=amount_cents, reference=f"offline-refund-{purchase.pk}"))
        return first.reference


# --- domain names -----------------------------------------------------------------------------------------------------

class RegistrarError(Exception):
    """The registrar cannot supply or register a name."""


class DomainRegistrar(ABC):
    """Sells domain names. ``suggest`` picks names for a client from ``candidates`` the registrar says are free."""

    name: ClassVar[str] = "custom"
    #: The words after the client's name in invented names: "<client>-<word><n>.<tld>".
    words: ClassVar[tuple[str, ...]] = ("mail", "hello", "team", "go", "get", "try")
    #: How far ``suggest`` counts before giving up (``len(words)`` names per step).
    max_number: ClassVar[int] = 10_000

    @abstractmethod
    def available(self, names: Iterable[str]) -> set[str]:
        """Which of ``names`` can be registered now."""

    @abstractmethod
    def register(self, name: str, *, organization: Organization) -> str:
        """Register ``name`` for ``organization``; returns the registrar's reference.

        Called when a paid purchase's domain is added to the pool. Must succeed (returning the same reference)
        for a name already registered for this organization, since fulfilment may run again.
        """

    @property
    def tld(self) -> str:
        return settings.REX_DOMAIN_TLD.strip().strip(".").lower()

    @staticmethod
    def client_label(client: str) -> str:
        """The client's name as the first part of a DNS label ("Acme & Co" → "acme-co"); "" if nothing is left."""
        label = re.sub(r"[^a-z0-9-]+", "-", slugify(client).lower())
        label = re.sub(r"-{2,}", "-", label).strip("-")
        # Leaves room for "-<word><n>" inside the 63-character limit of a label.
        return label[:40].rstrip("-")

    def candidates(self, client: str) -> Iterator[str]:
        """Every name this registrar would invent for ``client``, in the order it prefers them."""
        label = self.client_label(client)
        if not label:
            raise RegistrarError(f"client {client!r} has no letters or digits to build a domain name from")
        for number in range(1, self.max_number + 1):
            for word in self.words:
                yield f"{label}-{word}{number}.{self.tld}"

    def suggest(self, client: str, count: int, *, exclude: Collection[str] = ()) -> list[str]:
        """``count`` free names for ``client``, the first ones ``candidates`` yields that are free and not in
        ``exclude`` (names promised to other purchases not yet fulfilled). Deterministic for a given registry."""
        chosen: list[str] = []
        candidates = self.candidates(client)
        batch_size = max(2 * count, 3 * len(self.words))
        while len(chosen) < count:
            batch = list(itertools.islice(candidates, batch_size))
            if not batch:
                raise RegistrarError(f"no free domain name left for client {client!r}")
            batch = [name for name in batch if name not in exclude]
            if batch:
                free = self.available(batch)
                chosen.extend(name for name in batch if name in free)
        return chosen[:count]


class OfflineRegistrar(DomainRegistrar):
    """Invents names and "registers" them without talking to anything: a name is free unless REX already has it
    (a domain on record, ``billing.inventory``: bought, seeded or added by hand)."""

    name = "offline"

    def available(self, names: Iterable[str]) -> set[str]:
        wanted = {normalize_domain_name(name) for name in names}
        return wanted - set(domains_on_record(wanted))

    def register(self, name: str, *, organization: Organization) -> str:
        return f"offline-{name}"


# --- choosing from settings -------------------------------------------------------------------------------------------

T = TypeVar("T")


def _load(setting: str, base: type[T], offline: type[T]) -> T:
    path = str(getattr(settings, setting, "") or "offline").strip()
    if path == "offline":
        return offline()
    try:
        loaded = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"{setting}={path!r} cannot be imported ({exc}); give 'offline' or the dotted "
                                   f"path of a {base.__module__}.{base.__name__} subclass") from exc
    if not (isinstance(loaded, type) and issubclass(loaded, base)):
        raise ImproperlyConfigured(f"{setting}={path!r} is not a subclass of {base.__module__}.{base.__name__}")
    try:
        return loaded()
    except TypeError as exc:  # an abstract method left out, or a constructor that wants arguments
        raise ImproperlyConfigured(f"{setting}={path!r} cannot be instantiated without arguments: {exc}") from exc


def get_provider() -> PaymentProvider:
    """The payment provider REX_PAYMENT_PROVIDER names (a bad dotted path raises ImproperlyConfigured)."""
    return _load("REX_PAYMENT_PROVIDER", PaymentProvider, OfflineProvider)


def get_registrar() -> DomainRegistrar:
    """The registrar REX_DOMAIN_REGISTRAR names ("offline" when unset)."""
    return _load("REX_DOMAIN_REGISTRAR", DomainRegistrar, OfflineRegistrar)
