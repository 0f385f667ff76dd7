"""Ops' view of billing: purchases (with activate / cancel-and-refund / retry / fulfil actions that call the services),
the ledger, and each organization's balance. Money and statuses are never edited by hand: every change goes
through ``billing.services``, which keeps the ledger and the hooks consistent."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from billing.models import BillingAccount, LedgerEntry, Purchase, PurchaseItem, format_money
from billing.providers import PaymentDeclined, PaymentUnavailable
from billing.services import IllegalPurchaseTransition, activate, cancel, charge_pending, fulfil, refund_cancelled
from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline


class PurchaseItemInline(ReadOnlyTabularInline):
    model = PurchaseItem
    fields = ["kind", "name", "unit_price_cents", "term_months"]


class LedgerEntryInline(ReadOnlyTabularInline):
    model = LedgerEntry
    fields = ["created_at", "kind", "amount", "description", "idempotency_key", "provider_reference"]

    @admin.display(description="amount")
    def amount(self, entry: LedgerEntry) -> str:
        return format_money(entry.amount_cents, entry.currency)


@admin.register(Purchase)
class PurchaseAdmin(admin.ModelAdmin):
    list_display = ["id", "organization", "status", "total", "client", "created_at"]
    list_filter = ["status", "organization"]
    search_fields = ["id", "idempotency_key", "provider_reference"]
    date_hierarchy = "created_at"
    list_select_related = ["organization"]
    inlines = [PurchaseItemInline, LedgerEntryInline]
    actions = ["activate_purchases", "cancel_and_refund", "retry_refund", "retry_charge", "run_fulfilment_again"]
    readonly_fields = ["id", "organization", "idempotency_key", "status", "currency", "total", "provider",
                       "provider_reference", "client", "order", "requested_by", "mission", "error", "created_at", "paid_at",
                       "activated_at", "cancelled_at"]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # purchases come through billing.services (API, agents), which validates and charges

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False  # the ledger refers to them; a purchase is cancelled, never deleted

    @admin.display(description="total", ordering="total_cents")
    def total(self, purchase: Purchase) -> str:
        return purchase.total_display

    @admin.action(description="Activate (paid → active)")
    def activate_purchases(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        self._apply(request, queryset, activate, "activated")

    @admin.action(description="Cancel and refund")
    def cancel_and_refund(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        self._apply(request, queryset, lambda p: cancel(p, reason=f"cancelled by {request.user} in the admin"),
                    "cancelled and refunded")

    @admin.action(description="Retry the refund of refunding purchases (same refund key)")
    def retry_refund(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        self._apply(request, queryset, refund_cancelled, "refunded")

    @admin.action(description="Retry the charge of pending purchases")
    def retry_charge(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        def retry(purchase: Purchase) -> bool:
            was = purchase.status
            return charge_pending(purchase).status != was

        self._apply(request, queryset, retry, "charged or declined")

    @admin.action(description="Run fulfilment again (create missing domains and inboxes)")
    def run_fulfilment_again(self, request: HttpRequest, queryset: QuerySet[Purchase]) -> None:
        def again(purchase: Purchase) -> bool:
            fulfil(purchase)
            return True

        self._apply(request, queryset, again, "announced again")

    def _apply(self, request: HttpRequest, queryset: QuerySet[Purchase], change: Callable[[Purchase], bool],
               verb: str) -> None:
        done, unchanged, refused = 0, 0, []
        for purchase in queryset.select_related("organization"):
            try:
                if change(purchase):
                    done += 1
                else:
                    unchanged += 1
            except IllegalPurchaseTransition as exc:
                refused.append(str(exc))
            except PaymentDeclined as exc:
                refused.append(f"purchase {purchase.pk}: the payment provider refused ({exc.reason}); "
                               f"{self._left_as(purchase)}")
            except PaymentUnavailable:
                refused.append(f"purchase {purchase.pk}: the payment provider is unavailable; "
                               f"{self._left_as(purchase)}")
        if done:
            self.message_user(request, f"{done} purchase(s) {verb}.", messages.SUCCESS)
        if unchanged:
            self.message_user(request, f"{unchanged} purchase(s) needed nothing.", messages.INFO)
        for line in refused:
            self.message_user(request, line, messages.WARNING)

    @staticmethod
    def _left_as(purchase: Purchase) -> str:
        if purchase.status == Purchase.Status.REFUNDING:
            return "it is cancelled and its refund pending: retry the refund later"
        return "nothing changed, try again later"


@admin.register(LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The ledger is written by billing.services only: read-only here."""

    list_display = ["created_at", "organization", "kind", "amount", "purchase", "description"]
    list_filter = ["organization", "kind"]
    search_fields = ["description", "purchase__id"]
    date_hierarchy = "created_at"
    list_select_related = ["organization", "purchase"]
    readonly_fields = ["organization", "purchase", "kind", "amount_cents", "currency", "description",
                       "idempotency_key", "provider_reference", "created_at"]

    @admin.display(description="amount", ordering="amount_cents")
    def amount(self, entry: LedgerEntry) -> str:
        return format_money(entry.amount_cents, entry.currency)


def _ledger_sum(**filters: str) -> Coalesce:
    # A subquery per figure: joining ledger entries and purchases in one query would multiply the sums.
    entries = (LedgerEntry.objects.filter(organization=OuterRef("pk"), **filters).order_by()
               .values("organization").annotate(total=Sum("amount_cents")).values("total"))
    return Coalesce(Subquery(entries), Value(0))


@admin.register(BillingAccount)
class BillingAccountAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Each organization's balance, charges, refunds and purchases, in a constant number of queries."""

    list_display = ["name", "slug", "balance", "charges", "refunds", "purchases", "ledger"]
    search_fields = ["name", "slug"]
    fields = ["name", "slug", "balance", "charges", "refunds", "purchases", "ledger"]
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[BillingAccount]:
        purchases = (Purchase.objects.filter(organization=OuterRef("pk")).order_by().values("organization")
                     .annotate(count=Count("pk")).values("count"))
        return super().get_queryset(request).annotate(
            balance_cents=_ledger_sum(), charges_cents=_ledger_sum(kind=LedgerEntry.Kind.CHARGE),
            refunds_cents=_ledger_sum(kind=LedgerEntry.Kind.REFUND),
            purchase_count=Coalesce(Subquery(purchases), Value(0)))

    def _money(self, cents: int) -> str:
        from django.conf import settings

        return format_money(cents, settings.REX_BILLING_CURRENCY)

    @admin.display(description="balance", ordering="balance_cents")
    def balance(self, account: BillingAccount) -> str:
        return self._money(account.balance_cents)

    @admin.display(description="charges", ordering="charges_cents")
    def charges(self, account: BillingAccount) -> str:
        return self._money(-account.charges_cents)

    @admin.display(description="refunds", ordering="refunds_cents")
    def refunds(self, account: BillingAccount) -> str:
        return self._money(account.refunds_cents)

    @admin.display(description="purchases", ordering="purchase_count")
    def purchases(self, account: BillingAccount) -> str:
        url = reverse("admin:billing_purchase_changelist") + f"?organization__id__exact={account.pk}"
        return format_html('<a href="{}">{}</a>', url, account.purchase_count)

    @admin.display(description="ledger")
    def ledger(self, account: BillingAccount) -> str:
        url = reverse("admin:billing_ledgerentry_changelist") + f"?organization__id__exact={account.pk}"
        return format_html('<a href="{}">entries</a>', url)
