"""Buying domains and inboxes: quote (a simulation), purchase (charged once), activate, cancel (refunded once).

``check_order`` validates; ``quote`` prices without writing anything; ``purchase``, ``activate``, ``cancel`` and
``fulfil`` orchestrate (validate, price, ask the provider) and change a purchase only through its own methods
(``Purchase.mark_paid``, ``cancel``, ...), which announce the change through ``billing.signals`` after commit:
that is how the domains and inboxes apps learn what to create or retire (their ``receivers`` modules).

Money safety:

- The purchase and its items are committed *before* the provider is asked, under the unique (organization,
  idempotency_key) constraint, so a repeated or concurrent call finds that row instead of charging again.
- The charge runs while the purchase row is locked (``select_for_update``) and only if it is still pending; the
  charge ledger entry and the move to paid commit together, and the ledger's unique (purchase, kind) constraint
  refuses a second charge or refund entry whatever happens.
- A purchase the provider could not be asked about stays pending; the next call with the same key charges it then
  (the provider sees the same ``provider_idempotency_key``).
- A refund is the other way round: the cancellation and the refund entry, with the refund's own idempotency key,
  commit first; the provider is asked only after that commit, with that key. A rollback never reached the
  provider, and a refund asked again (its answer was lost, the provider was down) is the same refund to it.

Call these outside a transaction (as the API and the agents do): inside one, "committed before the provider is
asked" and "announced after commit" only hold once the caller's transaction commits (``cancel`` refuses to run
inside one).
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.db.models import Q, Sum

from agents import spending
from billing.inventory import addresses_on_record, domains_on_record
from billing.models import IllegalPurchaseTransition, LedgerEntry, Purchase, PurchaseItem
from billing.providers import (
    DomainRegistrar,
    PaymentDeclined,
    PaymentProvider,
    PaymentUnavailable,
    RegistrarError,
    get_provider,
    get_registrar,
)
from billing.signals import announce_on_commit, purchase_completed
from core.names import normalize_domain_name
from tenants.models import Organization

logger = logging.getLogger(__name__)

MAX_DOMAINS_PER_PURCHASE = 100
# Cold outreach keeps few inboxes per domain: more of them share (and burn) one domain's reputation faster.
MAX_INBOXES_PER_DOMAIN = 10
DOMAIN_TERM_MONTHS = 12  # REX_PRICE_DOMAIN_CENTS is per domain-year
INBOX_TERM_MONTHS = 1    # REX_PRICE_INBOX_CENTS is per inbox-month
# Local parts of bought inboxes: first names that read like a person, as cold email needs; then "alex2", ...
INBOX_LOCAL_PARTS = ("alex", "sam", "jordan", "taylor", "morgan", "casey", "riley", "jamie", "drew", "quinn",
                     "avery", "reese")
# Purchases whose names are promised: new purchases must not pick them again.
LIVE_STATUSES = (Purchase.Status.PENDING, Purchase.Status.PAID, Purchase.Status.ACTIVE)
# Serializes the choice of new names across processes (PostgreSQL advisory lock; SQLite's IMMEDIATE transactions
# serialize writers already), so two purchases at once never pick the same domain name or inbox address.
NAMES_LOCK_ID = zlib.crc32(b"rex.billing.names")
IDEMPOTENCY_KEY_MAX_LENGTH = 128


class PurchaseRejected(Exception):
    """An order billing refuses; ``errors`` maps field names to messages, as DRF does."""

    def __init__(self, errors: dict[str, Any]) -> None:
        super().__init__(errors)
        self.errors = errors


class QuoteLine(NamedTuple):
    kind: str
    description: str
    quantity: int
    unit_cents: int
    term_months: int
    total_cents: int


@dataclass(frozen=True)
class Quote:
    """What an order would cost and which names it would get today (a purchase picks its names again when stored)."""

    lines: list[QuoteLine]
    total_cents: int
    currency: str
    domain_names: list[str]
    inbox_addresses: list[str]
    client: str

    @property
    def summary(self) -> str:
        """What it buys and costs, as an approver reads it: "2 domains + 6 inboxes, $57.00/month"."""
        domains, inboxes = len(self.domain_names), len(self.inbox_addresses)
        parts = [f"{domains} domain{'s' if domains != 1 else ''}"] if domains else []
        if inboxes:
            parts.append(f"{inboxes} inbox{'es' if inboxes != 1 else ''}")
        return f"{' + '.join(parts) or 'nothing'}, {spending.money(self.total_cents, self.currency)}/month"


@dataclass(frozen=True)
class Order:
    """A validated order: counts, the client (its pool), and the existing domains getting extra inboxes."""

    domains: int
    inboxes_per_domain: int
    extra_inboxes: dict[str, int]
    client: str


@dataclass
class _Plan:
    quote: Quote
    items: list[PurchaseItem] = field(default_factory=list)


@dataclass(frozen=True)
class Balance:
    """An organization's ledger summed: charges and refunds as positive amounts, the balance signed."""

    balance_cents: int
    charges_cents: int
    refunds_cents: int
    credits_cents: int
    currency: str


# --- validating and pricing -------------------------------------------------------------------------------------------

def check_order(organization: Organization, *, domains: int = 0, inboxes_per_domain: int | None = None,
                extra_inboxes: Mapping[str, int] | None = None, client: str = "") -> Order:
    """Validate an order for ``organization``; raises ``PurchaseRejected`` with every field's errors at once."""
    errors: dict[str, list[str]] = {}
    per_domain = settings.REX_INBOXES_PER_DOMAIN if inboxes_per_domain is None else inboxes_per_domain
    if not isinstance(domains, int) or isinstance(domains, bool) or not 0 <= domains <= MAX_DOMAINS_PER_PURCHASE:
        errors["domains"] = [f"must be a whole number from 0 to {MAX_DOMAINS_PER_PURCHASE}"]
    if (not isinstance(per_domain, int) or isinstance(per_domain, bool)
            or not 0 < per_domain <= MAX_INBOXES_PER_DOMAIN):
        errors["inboxes_per_domain"] = [f"must be a whole number from 1 to {MAX_INBOXES_PER_DOMAIN}"]
    client = (client or "").strip() or organization.slug
    if len(client) > 100:
        errors["client"] = ["at most 100 characters"]
    elif not DomainRegistrar.client_label(client):
        errors["client"] = ["must contain letters or digits (it names the domain pool and the new domains)"]

    extras: dict[str, int] = {}
    extra_errors: list[str] = []
    for raw_name, count in (extra_inboxes or {}).items():
        name = normalize_domain_name(raw_name)
        if not isinstance(count, int) or isinstance(count, bool) or not 0 < count <= MAX_INBOXES_PER_DOMAIN:
            extra_errors.append(f"{raw_name}: the number of inboxes must be a whole number from 1 to "
                                f"{MAX_INBOXES_PER_DOMAIN}")
        elif name in extras:
            extra_errors.append(f"{raw_name}: named twice")
        else:
            extras[name] = count
    if extras:
        found = {name: domain for name, domain in domains_on_record(list(extras)).items()
                 if domain.organization_id == organization.pk}
        occupied = _occupied_addresses(list(found))
        for name, count in extras.items():
            domain = found.get(name)
            if domain is None:
                extra_errors.append(f"{name} is not a domain of your organization")
            elif not domain.may_take_inboxes:
                extra_errors.append(f"{name} is {domain.state}: it will never send again")
            elif len(occupied[name]) + count > MAX_INBOXES_PER_DOMAIN:
                extra_errors.append(f"{name} has {len(occupied[name])} inbox(es) already; at most "
                                    f"{MAX_INBOXES_PER_DOMAIN} per domain")
    if extra_errors:
        errors["extra_inboxes"] = extra_errors
    if not errors and domains == 0 and not extras:
        errors["domains"] = ["nothing to buy: ask for at least one domain, or for extra inboxes on an existing domain"]
    if errors:
        raise PurchaseRejected(errors)
    return Order(domains=domains, inboxes_per_domain=per_domain, extra_inboxes=extras, client=client)


def _occupied_addresses(domain_names: list[str]) -> dict[str, set[str]]:
    """Per domain: the addresses in use (inboxes not disabled) or promised (inbox items of live purchases)."""
    occupied: dict[str, set[str]] = {name: set() for name in domain_names}
    if not domain_names:
        return occupied
    for inbox in addresses_on_record(domain_names):
        if inbox.in_service:
            occupied[inbox.domain].add(inbox.address)
    suffixes = Q()
    for name in domain_names:
        suffixes |= Q(name__endswith=f"@{name}")
    promised = (PurchaseItem.objects.filter(suffixes, kind=PurchaseItem.Kind.INBOX, purchase__status__in=LIVE_STATUSES)
                .values_list("name", flat=True))
    for address in promised:
        occupied[address.rsplit("@", 1)[1]].add(address)
    return occupied


def _local_parts(taken: set[str]) -> Iterator[str]:
    number = 1
    while True:
        for word in INBOX_LOCAL_PARTS:
            local = word if number == 1 else f"{word}{number}"
            if local not in taken:
                yield local
        number += 1


def _plan(organization: Organization, order: Order, registrar: DomainRegistrar) -> _Plan:
    """Price ``order`` and pick its names (read-only; a purchase runs this under the names lock)."""
    domain_cents = settings.REX_PRICE_DOMAIN_CENTS
    inbox_cents = settings.REX_PRICE_INBOX_CENTS
    lines: list[QuoteLine] = []
    items: list[PurchaseItem] = []
    domain_names: list[str] = []
    addresses: list[str] = []

    if order.domains:
        label = registrar.client_label(order.client)
        promised = set(PurchaseItem.objects.filter(kind=PurchaseItem.Kind.DOMAIN, purchase__status__in=LIVE_STATUSES,
                                                   name__startswith=f"{label}-").values_list("name", flat=True))
        try:
            domain_names = registrar.suggest(order.client, order.domains, exclude=promised)
        except RegistrarError as exc:
            raise PurchaseRejected({"client": [str(exc)]}) from exc
        count = order.domains
        lines.append(QuoteLine("domain", f"Domain registration, {DOMAIN_TERM_MONTHS} months ({count} new domain"
                                         f"{'s' if count != 1 else ''} for {order.client})",
                               count, domain_cents, DOMAIN_TERM_MONTHS, count * domain_cents))
        seats = count * order.inboxes_per_domain
        lines.append(QuoteLine("inbox", f"Inbox seat, {INBOX_TERM_MONTHS} month ({order.inboxes_per_domain} on each "
                                        "new domain)", seats, inbox_cents, INBOX_TERM_MONTHS, seats * inbox_cents))
        locals_ = INBOX_LOCAL_PARTS[:order.inboxes_per_domain]
        for name in domain_names:
            items.append(PurchaseItem(kind=PurchaseItem.Kind.DOMAIN, name=name, unit_price_cents=domain_cents,
                                      term_months=DOMAIN_TERM_MONTHS))
            for local in locals_:
                addresses.append(f"{local}@{name}")

    if order.extra_inboxes:
        occupied = _occupied_addresses(list(order.extra_inboxes))
        # Disabled inboxes keep their address (it is unique), so it cannot be bought again either.
        for inbox in addresses_on_record(list(order.extra_inboxes)):
            occupied[inbox.domain].add(inbox.address)
        for name in sorted(order.extra_inboxes):
            count = order.extra_inboxes[name]
            taken = {address.rsplit("@", 1)[0] for address in occupied[name]}
            fresh = _local_parts(taken)
            addresses.extend(f"{next(fresh)}@{name}" for _ in range(count))
            lines.append(QuoteLine("inbox", f"Inbox seat, {INBOX_TERM_MONTHS} month (on {name})", count, inbox_cents,
                                   INBOX_TERM_MONTHS, count * inbox_cents))

    items.extend(PurchaseItem(kind=PurchaseItem.Kind.INBOX, name=address, unit_price_cents=inbox_cents,
                              term_months=INBOX_TERM_MONTHS) for address in addresses)
    quote = Quote(lines=lines, total_cents=sum(line.total_cents for line in lines),
                  currency=settings.REX_BILLING_CURRENCY, domain_names=domain_names, inbox_addresses=addresses,
                  client=order.client)
    return _Plan(quote=quote, items=items)


def quote(organization: Organization, *, domains: int = 0, inboxes_per_domain: int | None = None,
          extra_inboxes: Mapping[str, int] | None = None, client: str = "") -> Quote:
    """What buying this would cost and which names it would get. Writes nothing and calls no payment provider.

    ``inboxes_per_domain`` (default REX_INBOXES_PER_DOMAIN) applies to the new domains; ``extra_inboxes`` adds
    inboxes to existing, live domains of the organization, by domain name. Raises ``PurchaseRejected``.
    """
    order = check_order(organization, domains=domains, inboxes_per_domain=inboxes_per_domain,
                        extra_inboxes=extra_inboxes, client=client)
    return _plan(organization, order, get_registrar()).quote


# --- purchasing -------------------------------------------------------------------------------------------------------

def _lock_names() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [NAMES_LOCK_ID])


def _existing(organization: Organization, key: str) -> Purchase | None:
    return Purchase.objects.filter(organization=organization, idempotency_key=key).first()


def purchase(organization: Organization, *, idempotency_key: str, domains: int = 0,
             inboxes_per_domain: int | None = None, extra_inboxes: Mapping[str, int] | None = None,
             client: str = "", requested_by: Any = None, mission: Any = None) -> tuple[Purchase, bool]:
    """Buy domains and inboxes for ``organization``: store the purchase, then charge it once.

    Returns ``(purchase, created)``. ``created`` is False when the idempotency key was seen before: the existing
    purchase is returned as it is, charged now only if it was left pending (the provider was unavailable). The
    outcome is in ``purchase.status``: paid (charged; ``purchase_completed`` was sent after commit), failed (the
    provider declined; ``purchase.error`` says why; nothing charged) or pending (the provider was unavailable;
    retry with the same key). Raises ``PurchaseRejected`` for an invalid order or key.
    """
    key = (idempotency_key or "").strip()
    if not key or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
        raise PurchaseRejected({"idempotency_key": [f"required, 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters"]})
    asked = _order_asked(organization, domains=domains, inboxes_per_domain=inboxes_per_domain,
                         extra_inboxes=extra_inboxes, client=client)
    existing = _existing(organization, key)
    if existing is not None:
        return charge_pending(_same_order(existing, asked)), False
    order = check_order(organization, domains=domains, inboxes_per_domain=inboxes_per_domain,
                        extra_inboxes=extra_inboxes, client=client)
    provider = get_provider()
    registrar = get_registrar()
    bought: Purchase | None = None
    try:
        # Not durable, although "committed before the provider is asked" only holds at the outermost level:
        # callers compose a purchase into their own transaction to have it rolled back with their work (never
        # announced then; test_purchase_signals_fire_after_commit), and the module docstring says so.
        with transaction.atomic():
            _lock_names()
            # Under the lock a concurrent call with the same key has either committed its purchase (found here) or
            # not started choosing names yet.
            existing = _existing(organization, key)
            if existing is None:
                # Again under the lock: the counts of inboxes on existing domains may have changed meanwhile.
                order = check_order(organization, domains=domains, inboxes_per_domain=inboxes_per_domain,
                                    extra_inboxes=extra_inboxes, client=client)
                plan = _plan(organization, order, registrar)
                # Set aside before anything is stored or charged, under the organization's budget lock: purchases
                # and approvals at the same moment never together pass the monthly budget. A mission's purchase
                # finds the reservation its approval made (its key is the mission's spend key).
                try:
                    spending.reserve(organization, key=key, cents=plan.quote.total_cents, currency=plan.quote.currency,
                                     kind="purchase", description=f"purchase for {order.client}")
                except spending.BudgetExceeded as exc:
                    raise PurchaseRejected({"budget": [exc.message]}) from exc
                bought = Purchase.objects.create(
                    organization=organization, idempotency_key=key, status=Purchase.Status.PENDING,
                    currency=plan.quote.currency, total_cents=plan.quote.total_cents, provider=provider.name[:32],
                    client=order.client, order=asked,
                    requested_by=requested_by if getattr(requested_by, "pk", None) else None,
                    mission=mission if getattr(mission, "pk", None) else None)
                for item in plan.items:
                    item.purchase = bought
                PurchaseItem.objects.bulk_create(plan.items)
    except IntegrityError:
        # The unique (organization, idempotency_key) constraint: a concurrent call stored this purchase first.
        bought = None
        existing = _existing(organization, key)
        if existing is None:
            raise
    if bought is None:
        assert existing is not None
        return charge_pending(_same_order(existing, asked)), False
    return charge_pending(bought, provider), True


def _order_asked(organization: Organization, *, domains: Any, inboxes_per_domain: Any,
                 extra_inboxes: Mapping[str, Any] | None, client: str) -> dict[str, Any]:
    """The order as asked for, in one canonical form (defaults filled in, names normalised), for comparison."""
    per_domain = settings.REX_INBOXES_PER_DOMAIN if inboxes_per_domain is None else inboxes_per_domain
    extras = {normalize_domain_name(name): count for name, count in (extra_inboxes or {}).items()}
    return {"domains": domains, "inboxes_per_domain": per_domain, "client": (client or "").strip() or organization.slug,
            "extra_inboxes": dict(sorted(extras.items()))}


def _same_order(existing: Purchase, asked: dict[str, Any]) -> Purchase:
    """The purchase stored under a repeated key, if it is for the same order; otherwise the call is refused.

    Answering a different order with the first purchase would tell the caller it bought what it did not (and a
    retried different order would never be bought). Purchases stored before orders were recorded have none to
    compare and are returned as they are.
    """
    if existing.order and existing.order != asked:
        raise PurchaseRejected({"idempotency_key": [
            f"already used for a different order (purchase {existing.id}: {existing.order}); "
            "use a new idempotency key for a new order"]})
    return existing


def charge_pending(purchase: Purchase, provider: PaymentProvider | None = None) -> Purchase:
    """Charge ``purchase`` if it is still pending; returns it as it is afterwards (any status).

    The row stays locked while the provider answers, so two callers never both charge it; the second waits and
    then finds it paid (or failed).
    """
    if purchase.status != Purchase.Status.PENDING:
        return purchase
    provider = provider or get_provider()
    with transaction.atomic():
        locked = (Purchase.objects.select_for_update().select_related("organization")
                  .filter(pk=purchase.pk, status=Purchase.Status.PENDING).first())
        if locked is not None:
            try:
                result = provider.charge(locked)
            except PaymentDeclined as exc:
                locked.mark_declined(exc.reason)
                logger.info("purchase %s declined by %s: %s", locked.pk, provider.name, exc.reason)
            except PaymentUnavailable as exc:
                locked.note_charge_unavailable(str(exc) or type(exc).__name__)
                logger.warning("purchase %s left pending: %s unavailable (%s)", locked.pk, provider.name, exc)
            else:
                locked.mark_paid(provider=provider.name, reference=result.reference)
    purchase.refresh_from_db()
    return purchase


def fulfil(purchase: Purchase) -> None:
    """Announce a paid or active purchase again (``purchase_completed``) so receivers create what is missing."""
    purchase.refresh_from_db()
    if purchase.status not in Purchase.FULFILLABLE:
        raise IllegalPurchaseTransition(purchase, purchase.status, "fulfilment", action="fulfilled",
                                        sources=Purchase.FULFILLABLE)
    announce_on_commit(purchase_completed, purchase)


def activate(purchase: Purchase) -> bool:
    """Mark a paid purchase active (what was bought is in place); announces ``purchase_activated`` after commit.

    Returns False if it was active already; raises ``IllegalPurchaseTransition`` from any other status.
    """
    purchase.refresh_from_db()
    if purchase.status == Purchase.Status.ACTIVE:
        return False
    moved = purchase.activate()
    if not moved:  # someone moved it between the read and the conditional update: judge where it is now
        purchase.refresh_from_db()
        if purchase.status != Purchase.Status.ACTIVE:
            Purchase.machine.check(purchase, purchase.status, Purchase.Status.ACTIVE)
    return moved


def cancel(purchase: Purchase, *, reason: str) -> bool:
    """Cancel a paid or active purchase and refund what was charged, once.

    First, in one transaction: the purchase becomes ``refunding`` and its refund ledger entry, with the refund's
    own idempotency key, is written; ``purchase_cancelled`` follows that commit (domains retire, inboxes are
    disabled). Only then is the provider asked (``refund_cancelled``), with the stored key: a transaction that
    rolls back never reached the provider, and a refund asked again is the same refund to the provider.

    Returns True when this call cancelled the purchase or completed its pending refund; False, refunding
    nothing, if it was cancelled and refunded already. Calling it on a ``refunding`` purchase retries the refund.
    Raises ``IllegalPurchaseTransition`` for a pending or failed purchase, ``PurchaseRejected`` without a reason,
    and ``PaymentUnavailable`` / ``PaymentDeclined`` when the provider did not refund: the purchase is then
    cancelled with its refund pending (``purchase.error`` says why), to be retried the same way.
    """
    reason = (reason or "").strip()
    if not reason:
        raise PurchaseRejected({"reason": ["say why the purchase is cancelled"]})
    # Durable: the provider must only hear of a refund whose cancellation is committed, which an enclosing
    # transaction would make untrue (it could still roll back after the money went back).
    with transaction.atomic(durable=True):
        locked = Purchase.objects.select_for_update().get(pk=purchase.pk)
        if locked.status in (Purchase.Status.REFUNDING, Purchase.Status.CANCELLED):
            cancelled_now = False  # cancelled before: at most its pending refund is asked again, below
        else:
            cancelled_now = locked.cancel(reason=reason)  # the table refuses pending and failed purchases
    if cancelled_now:
        logger.info("purchase %s cancelled: %s", locked.pk, reason)
    try:
        refunded_now = refund_cancelled(locked)
    finally:
        purchase.refresh_from_db()
    return cancelled_now or refunded_now


def refund_cancelled(purchase: Purchase, provider: PaymentProvider | None = None) -> bool:
    """Ask the provider for the refund of a ``refunding`` purchase, with the key stored with its ledger entry,
    and record the answer (→ ``cancelled``). Returns False, asking nothing, for a purchase in any other status.

    Call it outside any transaction: the refund is only asked once its recording is committed. Two callers at
    once both ask with the same key, and the provider answers the same refund to both. A provider failure is
    recorded on the purchase (it stays ``refunding``) and raised.
    """
    purchase.refresh_from_db()
    if purchase.status != Purchase.Status.REFUNDING:
        return False
    entry = purchase.refund_entry
    assert entry is not None, "a refunding purchase has its refund entry (written with the move)"
    reference = ""
    if entry.amount_cents > 0:
        provider = provider or get_provider()
        try:
            reference = provider.refund(purchase, entry.amount_cents, idempotency_key=entry.idempotency_key)
        except PaymentDeclined as exc:
            purchase.note_refund_failed(f"the payment provider refused it ({exc.reason})")
            logger.warning("refund of purchase %s refused by %s: %s", purchase.pk, provider.name, exc.reason)
            raise
        except PaymentUnavailable as exc:
            purchase.note_refund_failed(f"the payment provider is unavailable ({str(exc) or type(exc).__name__})")
            logger.warning("refund of purchase %s pending: %s unavailable (%s)", purchase.pk, provider.name, exc)
            raise
    refunded = purchase.mark_refunded(reference or "nothing charged")
    if refunded:
        logger.info("purchase %s refunded, %s cents (%s)", purchase.pk, entry.amount_cents, reference)
    return refunded


def balance(organization: Organization) -> Balance:
    """The organization's ledger in one query: signed balance, and charges, refunds and credits as positive sums."""
    sums = LedgerEntry.objects.filter(organization=organization).aggregate(
        balance=Sum("amount_cents"),
        charges=Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.CHARGE)),
        refunds=Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.REFUND)),
        credits=Sum("amount_cents", filter=Q(kind=LedgerEntry.Kind.CREDIT)),
    )
    return Balance(balance_cents=sums["balance"] or 0, charges_cents=-(sums["charges"] or 0),
                   refunds_cents=sums["refunds"] or 0, credits_cents=sums["credits"] or 0,
                   currency=settings.REX_BILLING_CURRENCY)
