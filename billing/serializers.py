from __future__ import annotations

from typing import Any

from django.conf import settings
from rest_framework import serializers

from billing.models import LedgerEntry, Purchase, PurchaseItem, format_money
from billing.services import IDEMPOTENCY_KEY_MAX_LENGTH, MAX_DOMAINS_PER_PURCHASE, MAX_INBOXES_PER_DOMAIN
from core.strict_types import StrictJSONTypes


class OrderSerializer(StrictJSONTypes, serializers.Serializer):
    """What to buy: new domains (each with ``inboxes_per_domain`` inboxes) and/or inboxes on existing domains."""

    domains = serializers.IntegerField(min_value=0, max_value=MAX_DOMAINS_PER_PURCHASE, default=0,
                                       help_text="New domains to buy (registered for 12 months).")
    inboxes_per_domain = serializers.IntegerField(
        min_value=1, max_value=MAX_INBOXES_PER_DOMAIN, required=False,
        help_text="Inboxes on each new domain; default REX_INBOXES_PER_DOMAIN.")
    extra_inboxes = serializers.DictField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_INBOXES_PER_DOMAIN), default=dict,
        help_text="More inboxes on the organization's existing live domains: {\"domain name\": count}.")
    client = serializers.CharField(max_length=100, allow_blank=True, default="",
                                   help_text="The client whose domain pool receives the domains (default: the "
                                             "organization's slug); it also starts the new domains' names.")

    def to_order(self) -> dict[str, Any]:
        data = self.validated_data
        return {"domains": data["domains"], "inboxes_per_domain": data.get("inboxes_per_domain"),
                "extra_inboxes": data["extra_inboxes"], "client": data["client"]}


class PurchaseRequestSerializer(OrderSerializer):
    idempotency_key = serializers.RegexField(
        rf"^[A-Za-z0-9._:\-]{{8,{IDEMPOTENCY_KEY_MAX_LENGTH}}}$",
        error_messages={"invalid": f"8 to {IDEMPOTENCY_KEY_MAX_LENGTH} characters: letters, digits, '.', '_', ':' "
                                   "or '-'."},
        help_text="Yours, unique per purchase: repeating a request with the same key returns the first purchase "
                  "and never charges twice.")


class QuoteLineSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PurchaseItem.Kind.choices)
    description = serializers.CharField()
    quantity = serializers.IntegerField()
    unit_cents = serializers.IntegerField()
    term_months = serializers.IntegerField()
    total_cents = serializers.IntegerField()


class QuoteSerializer(serializers.Serializer):
    lines = QuoteLineSerializer(many=True)
    total_cents = serializers.IntegerField()
    total = serializers.SerializerMethodField(help_text="The total for people, e.g. \"75.00 USD\".")
    currency = serializers.CharField()
    domain_names = serializers.ListField(child=serializers.CharField(),
                                         help_text="The names a purchase would get now (chosen again when bought).")
    inbox_addresses = serializers.ListField(child=serializers.CharField())
    client = serializers.CharField()

    def get_total(self, quote: Any) -> str:
        return format_money(quote.total_cents, quote.currency)


class PurchaseItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = PurchaseItem
        fields = ["kind", "name", "unit_price_cents", "term_months"]
        read_only_fields = fields


class LedgerEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = LedgerEntry
        fields = ["kind", "amount_cents", "currency", "description", "created_at"]
        read_only_fields = fields


class PurchaseSerializer(serializers.ModelSerializer):
    organization = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    total = serializers.CharField(source="total_display", read_only=True,
                                  help_text="The total for people, e.g. \"75.00 USD\".")
    items = PurchaseItemSerializer(many=True, read_only=True)
    ledger_entries = LedgerEntrySerializer(many=True, read_only=True)

    class Meta:
        model = Purchase
        fields = ["id", "organization", "status", "idempotency_key", "client", "currency", "total_cents", "total",
                  "provider", "provider_reference", "error", "requested_by", "mission", "created_at", "paid_at",
                  "activated_at", "cancelled_at", "items", "ledger_entries"]
        read_only_fields = fields


class PurchaseProblemSerializer(serializers.Serializer):
    """A purchase the provider declined (402) or could not charge yet (503)."""

    detail = serializers.CharField()
    purchase = PurchaseSerializer()


class CancelSerializer(StrictJSONTypes, serializers.Serializer):
    reason = serializers.CharField(max_length=250, help_text="Why; kept with the refund in the ledger.")


class BalanceSerializer(serializers.Serializer):
    balance_cents = serializers.IntegerField(help_text="Signed: refunds and credits minus charges.")
    currency = serializers.CharField(default=settings.REX_BILLING_CURRENCY)
    charges_cents = serializers.IntegerField(help_text="Everything charged, as a positive amount.")
    refunds_cents = serializers.IntegerField()
    credits_cents = serializers.IntegerField()
