"""Buying sending identities: purchases of domains and inboxes, and the ledger of what was charged and refunded.

Money is integer cents, never float. A purchase carries an idempotency key unique per organization, stored
before the payment provider is called, so a retried request or a re-run mission never charges twice; a refund
carries its own key, stored with its ledger entry before the provider is asked for the money back.

A purchase changes status only through its own methods (``mark_paid``, ``mark_declined``, ``activate``,
``cancel``, ``mark_refunded``), each one conditional move of ``Purchase.machine`` that writes what belongs with
it (the ledger entry, the announcement to other apps after commit) in the same transaction. ``billing.services``
orchestrates: it validates, prices, asks the payment provider and calls these methods.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import models, transaction
from django.db.models import Sum
from django.utils import timezone

from agents import spending
from billing.providers import provider_idempotency_key
from billing.signals import announce_on_commit, purchase_activated, purchase_cancelled, purchase_completed
from core.statemachine import IllegalTransition, StateMachine
from tenants.models import Organization

ERROR_MAX_LENGTH = 2000


def format_money(cents: int, currency: str) -> str:
    """Integer cents as people read them: 1500, "USD" → "15.00 USD"; -1500 → "-15.00 USD"."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{fraction:02d} {currency}"


# What each move is called in messages: "only a paid purchase can be activated".
_ACTIONS = {"paid": "charged", "failed": "declined", "active": "activated", "refunding": "cancelled",
            "cancelled": "marked refunded"}


class IllegalPurchaseTransition(IllegalTransition):
    """A change the purchase's status does not allow (activating a failed purchase, cancelling a pending one).

    The message names the statuses the change is allowed from, which is what a buyer or ops can act on; the API
    answers it with 409 and ``status`` (the status the purchase is really in).
    """

    def __init__(self, purchase: Purchase, current: str, target: str, allowed: Any = (), *, message: str = "",
                 action: str = "", sources: tuple[str, ...] = ()) -> None:
        sources = sources or tuple(s for s in Purchase.Status.values if s in Purchase.machine.sources(target))
        action = action or _ACTIONS.get(target, f"moved to {target}")
        super().__init__(purchase, current, target, allowed, message=message or (
            f"purchase {purchase.pk} is {current}; only a {' or '.join(sources)} purchase can be {action}"))
        self.status = current


class Purchase(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"        # stored, provider not answered yet
        PAID = "paid", "Paid"                 # charged; fulfilment (domains, inboxes) under way
        ACTIVE = "active", "Active"           # what was bought exists and is in the pool
        FAILED = "failed", "Failed"           # the provider refused the charge
        # Cancelled, its refund entry (with its key) committed; the provider has not confirmed the refund yet.
        REFUNDING = "refunding", "Refunding"
        CANCELLED = "cancelled", "Cancelled"  # refunded; what was bought is retired

    # A provider that could not be reached leaves a purchase pending (no move); the next call charges it then.
    # There is no way back from failed: a declined order is bought again under a new idempotency key.
    machine = StateMachine(field="status", error=IllegalPurchaseTransition, table={
        Status.PENDING: frozenset({Status.PAID, Status.FAILED}),
        Status.PAID: frozenset({Status.ACTIVE, Status.REFUNDING}),
        Status.ACTIVE: frozenset({Status.REFUNDING}),
        Status.REFUNDING: frozenset({Status.CANCELLED}),
        Status.FAILED: frozenset(),
        Status.CANCELLED: frozenset(),
    })
    # What was bought is (to be) in service: fulfilment may run, and the purchase may be cancelled.
    FULFILLABLE = (Status.PAID, Status.ACTIVE)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="purchases")
    idempotency_key = models.CharField(max_length=128)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING, db_index=True)
    currency = models.CharField(max_length=3, default="USD")
    total_cents = models.BigIntegerField(default=0)
    provider = models.CharField(max_length=32, blank=True)
    provider_reference = models.CharField(max_length=128, blank=True)
    client = models.CharField(max_length=100, blank=True, help_text="The domain pool the purchase feeds.")
    requested_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL)
    mission = models.ForeignKey("missions.Mission", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="purchases")
    error = models.TextField(blank=True)
    # The order as asked for (counts, client, extra inboxes; names normalised), so that a repeated idempotency key
    # can be checked against it: the same key with a different order is refused, never answered with this purchase.
    order = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    activated_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["organization", "idempotency_key"],
                                               name="unique_purchase_idempotency_key")]

    def __str__(self) -> str:
        return f"purchase {self.id} ({self.status}, {self.total_cents / 100:.2f} {self.currency})"

    @property
    def total_display(self) -> str:
        return format_money(self.total_cents, self.currency)

    def describe(self) -> str:
        """What was bought, as the ledger says it: "2 domains and 6 inboxes for acme"."""
        kinds = list(self.items.values_list("kind", flat=True))
        domains, inboxes = kinds.count(PurchaseItem.Kind.DOMAIN), kinds.count(PurchaseItem.Kind.INBOX)
        parts = [f"{domains} domain{'s' if domains != 1 else ''}"] if domains else []
        if inboxes:
            parts.append(f"{inboxes} inbox{'es' if inboxes != 1 else ''}")
        return f"{' and '.join(parts)} for {self.client}"

    # --- status changes (each a conditional move of ``machine``; False: another caller moved it first) ----------

    def mark_paid(self, *, provider: str, reference: str) -> bool:
        """pending → paid: the provider took the money. The charge's ledger entry commits with the move, and
        ``purchase_completed`` is announced after commit (domains and inboxes create what was bought)."""
        def charged(_from: str, _to: str) -> None:
            LedgerEntry.objects.create(
                organization_id=self.organization_id, purchase=self, kind=LedgerEntry.Kind.CHARGE,
                amount_cents=-self.total_cents, currency=self.currency,
                description=f"Purchase {self.pk}: {self.describe()}"[:300])
            # The month's spend holds what was really charged, whatever was set aside for it.
            spending.commit(self.organization, key=self.idempotency_key, cents=self.total_cents,
                            currency=self.currency, description=f"purchase {self.pk}")
            announce_on_commit(purchase_completed, self)

        return self.machine.move(self, self.Status.PAID, on_transition=charged, updates={
            "paid_at": timezone.now(), "provider": provider[:32], "provider_reference": reference[:128], "error": ""})

    def mark_declined(self, reason: str) -> bool:
        """pending → failed: the provider refused the charge; nothing was charged, nothing is announced."""
        return self.machine.move(self, self.Status.FAILED,
                                 updates={"error": f"payment declined: {reason}"[:ERROR_MAX_LENGTH]},
                                 on_transition=lambda _from, _to: spending.release(self.organization_id,
                                                                                   key=self.idempotency_key))

    def note_charge_unavailable(self, detail: str) -> None:
        """The provider could not be asked: the purchase stays pending (no move), saying why and what to do."""
        self.error = (f"payment provider unavailable, nothing charged; retry with the same idempotency key "
                      f"({detail})")[:ERROR_MAX_LENGTH]
        Purchase.objects.filter(pk=self.pk, status=self.Status.PENDING).update(error=self.error)

    def activate(self) -> bool:
        """paid → active: what was bought is in place; ``purchase_activated`` is announced after commit."""
        return self.machine.move(self, self.Status.ACTIVE, updates={"activated_at": timezone.now()},
                                 on_transition=lambda _from, _to: announce_on_commit(purchase_activated, self))

    def cancel(self, *, reason: str) -> bool:
        """paid or active → refunding: the cancellation and the refund it owes commit together, before any
        provider is asked.

        The refund ledger entry (the whole charge back, the reason, and the refund's own idempotency key, unique)
        is written with the move, so a cancellation is either wholly recorded or not at all, and a retried refund
        can only ever send the provider that same key. ``purchase_cancelled`` is announced after commit: what was
        bought leaves service at once, whatever the provider later answers. The caller then asks the provider
        (``billing.services.refund_cancelled``) and records its answer with ``mark_refunded``.
        """
        def refund_owed(_from: str, _to: str) -> None:
            charged = -(LedgerEntry.objects.filter(purchase=self, kind=LedgerEntry.Kind.CHARGE)
                        .aggregate(total=Sum("amount_cents"))["total"] or 0)
            LedgerEntry.objects.create(
                organization_id=self.organization_id, purchase=self, kind=LedgerEntry.Kind.REFUND,
                amount_cents=charged, currency=self.currency,
                idempotency_key=provider_idempotency_key(self, "refund"),
                description=f"Refund of purchase {self.pk}: {reason}"[:300])
            # Refunded money is the budget's again (released with the refund entry, not when the provider confirms).
            spending.release(self.organization_id, key=self.idempotency_key, committed_too=True)
            announce_on_commit(purchase_cancelled, self)

        with transaction.atomic():
            return self.machine.move(self, self.Status.REFUNDING, updates={"cancelled_at": timezone.now(), "error": ""},
                                     on_transition=refund_owed)

    def note_refund_failed(self, detail: str) -> None:
        """The provider did not refund (unreachable, or refused): the purchase stays refunding, saying why, and
        the refund is asked again with the same key (``cancel`` again, or the admin's retry)."""
        self.error = (f"refund pending: {detail}; it will be asked again with the same idempotency key"
                      )[:ERROR_MAX_LENGTH]
        Purchase.objects.filter(pk=self.pk, status=self.Status.REFUNDING).update(error=self.error)

    def mark_refunded(self, reference: str) -> bool:
        """refunding → cancelled: the provider confirmed the refund; its reference is kept on the refund entry."""
        def confirmed(_from: str, _to: str) -> None:
            LedgerEntry.objects.filter(purchase=self, kind=LedgerEntry.Kind.REFUND).update(
                provider_reference=reference[:128])

        with transaction.atomic():
            return self.machine.move(self, self.Status.CANCELLED, updates={"error": ""}, on_transition=confirmed)

    @property
    def refund_entry(self) -> LedgerEntry | None:
        return LedgerEntry.objects.filter(purchase=self, kind=LedgerEntry.Kind.REFUND).first()


class PurchaseItem(models.Model):
    class Kind(models.TextChoices):
        DOMAIN = "domain", "Domain"
        INBOX = "inbox", "Inbox"

    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # The domain name (kind domain) or the inbox address (kind inbox).
    name = models.CharField(max_length=254)
    unit_price_cents = models.BigIntegerField()
    # Months of service (domain registration years times 12, inbox seat months).
    term_months = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.name}"


class LedgerEntry(models.Model):
    """One movement of money: a charge (negative for the customer's balance) or a refund or credit (positive)."""

    class Kind(models.TextChoices):
        CHARGE = "charge", "Charge"
        REFUND = "refund", "Refund"
        CREDIT = "credit", "Credit"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="ledger_entries")
    purchase = models.ForeignKey(Purchase, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="ledger_entries")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    # Signed cents from the organization's point of view: a charge is negative, a refund or credit positive.
    amount_cents = models.BigIntegerField()
    currency = models.CharField(max_length=3, default="USD")
    description = models.CharField(max_length=300)
    # A refund's own idempotency key, stored (unique) with the entry before the provider is asked, so a retried
    # refund sends the provider the same key and gets the first refund back instead of a second one. Null for
    # entries that never reach a provider (charges carry the purchase's key, credits none).
    idempotency_key = models.CharField(max_length=128, null=True, blank=True, unique=True)
    # The provider's reference for a refund, once it confirmed it ("" while the refund is pending).
    provider_reference = models.CharField(max_length=128, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name_plural = "ledger entries"
        constraints = [
            # A purchase is charged once and refunded at most once, whatever retries happen.
            models.UniqueConstraint(fields=["purchase", "kind"], condition=models.Q(purchase__isnull=False),
                                    name="one_ledger_entry_per_purchase_and_kind"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.amount_cents / 100:.2f} {self.currency}"

    @classmethod
    def balance_cents(cls, organization: Organization) -> int:
        return cls.objects.filter(organization=organization).aggregate(total=Sum("amount_cents"))["total"] or 0


class BillingAccount(Organization):
    """An organization as billing sees it (the admin's balances page); no table of its own."""

    class Meta:
        proxy = True
        verbose_name = "billing account"
