"""Buying sending identities: purchases of domains and inboxes, and the ledger of what was charged and refunded.

Money is integer cents, never float. A purchase carries an idempotency key unique per organization, stored
before the payment provider is called, so a retried request or a re-run mission never charges twice.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Sum

from tenants.models import Organization


def format_money(cents: int, currency: str) -> str:
    """Integer cents as people read them: 1500, "USD" → "15.00 USD"; -1500 → "-15.00 USD"."""
    sign = "-" if cents < 0 else ""
    whole, fraction = divmod(abs(cents), 100)
    return f"{sign}{whole:,}.{fraction:02d} {currency}"


class Purchase(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"        # stored, provider not answered yet
        PAID = "paid", "Paid"                 # charged; fulfilment (domains, inboxes) under way
        ACTIVE = "active", "Active"           # what was bought exists and is in the pool
        FAILED = "failed", "Failed"           # the provider refused the charge
        CANCELLED = "cancelled", "Cancelled"  # refunded; what was bought is retired

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
