"""Admin of the domain pool: pools, domains (state changes only through actions), DNS checks and records, the
transition audit trail."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html_join

from core.admin import ReadOnlyAdminMixin, ReadOnlyTabularInline
from core.names import normalize_domain_name
from domains.dns import DnsUnavailable, check_domain, failure_summary
from domains.dns_provider import get_provider
from domains.models import (
    DnsCheck,
    DnsRecord,
    Domain,
    DomainPool,
    DomainState,
    DomainTransition,
    IllegalDomainTransition,
)

logger = logging.getLogger(__name__)

LATEST_CHECKS_SHOWN = 5


@admin.register(DomainPool)
class DomainPoolAdmin(admin.ModelAdmin):
    list_display = ["name", "organization", "quota", "domains_by_state"]
    list_filter = ["organization"]
    search_fields = ["name", "slug", "organization__name"]
    list_select_related = ["organization"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request: HttpRequest) -> QuerySet[DomainPool]:
        # One aggregate per state in the same query: the list costs one query whatever the number of pools.
        counts = {f"n_{state}": Count("domains", filter=Q(domains__state=state)) for state in DomainState.values}
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description="domains by state")
    def domains_by_state(self, pool: DomainPool) -> str:
        parts = [f"{label.lower()} {getattr(pool, f'n_{state}', 0)}" for state, label in DomainState.choices
                 if getattr(pool, f"n_{state}", 0)]
        return " · ".join(parts) or "no domains"


class DomainTransitionInline(ReadOnlyTabularInline):
    model = DomainTransition
    fields = ["at", "from_state", "to_state", "reason", "actor"]
    ordering = ["-at", "-id"]
    verbose_name_plural = "state changes"


class DnsCheckInline(ReadOnlyTabularInline):
    model = DnsCheck
    fields = ["checked_at", "passed", "dmarc_policy", "failures", "nameservers"]
    readonly_fields = ["failures"]
    verbose_name_plural = f"latest DNS checks (up to {LATEST_CHECKS_SHOWN})"

    @admin.display(description="what failed")
    def failures(self, check: DnsCheck) -> str:
        return failure_summary(check) or "-"


class DomainForm(forms.ModelForm):
    class Meta:
        model = Domain
        fields = ["name", "organization", "pool", "daily_cap", "dkim_selector"]

    def clean(self) -> dict:
        cleaned = super().clean()
        pool, org = cleaned.get("pool"), cleaned.get("organization") or getattr(self.instance, "organization", None)
        if pool and org and pool.organization_id != org.pk:
            self.add_error("pool", f"pool {pool} belongs to another organization")
        return cleaned


@admin.register(Domain)
class DomainAdmin(admin.ModelAdmin):
    form = DomainForm
    list_display = ["name", "pool", "state", "dns", "daily_cap", "campaign", "incidents", "state_changed_at"]
    list_filter = ["state", "pool", "dns_ok", "organization"]
    search_fields = ["name"]
    list_select_related = ["pool", "campaign"]
    inlines = [DnsCheckInline, DomainTransitionInline]
    actions = ["check_dns_now", "publish_dns_records", "retire"]
    # The state and what goes with it change only through the state machine (the actions below, the agents).
    always_readonly = ["state", "state_changed_at", "dns_ok", "dns_checked_at", "campaign", "assigned_at",
                       "incidents", "rest_until", "purchase_reference", "created_at", "published_records"]

    @admin.display(description="DNS", ordering="dns_ok")
    def dns(self, domain: Domain) -> str:
        # The same reading as the Domains page and the API (Domain.dns_status), not the bare boolean.
        return domain.dns_status_label

    def get_readonly_fields(self, request: HttpRequest, obj: Domain | None = None) -> list[str]:
        # The name and owner are the domain's identity once it exists; the selector is what DNS already publishes.
        return self.always_readonly + (["name", "organization", "dkim_selector"] if obj else [])

    def get_fields(self, request: HttpRequest, obj: Domain | None = None) -> list[str]:
        editable = ["name", "organization", "pool", "daily_cap", "dkim_selector"]
        return editable + (self.always_readonly if obj else [])

    def get_formset_kwargs(self, request: HttpRequest, obj: Domain, inline, prefix: str) -> dict:
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, DnsCheckInline) and obj is not None:
            # An inline queryset cannot be sliced (the formset filters it), so pick the latest ids first.
            latest = DnsCheck.objects.filter(domain=obj).values_list("pk", flat=True)[:LATEST_CHECKS_SHOWN]
            kwargs["queryset"] = DnsCheck.objects.filter(pk__in=list(latest))
        return kwargs

    @admin.display(description="published DNS records")
    def published_records(self, domain: Domain) -> str:
        records = domain.dns_records.all()
        if not records:
            return "none (published elsewhere, or not yet)"
        return format_html_join("\n", "<div><code>{} {} {}</code></div>",
                                ((r.name, r.rtype, f"{r.priority} {r.value}" if r.priority is not None else r.value)
                                 for r in records))

    @admin.action(description="Check DNS now")
    def check_dns_now(self, request: HttpRequest, queryset: QuerySet[Domain]) -> None:
        passed = 0
        for domain in queryset:
            try:
                check = check_domain(domain)
            except DnsUnavailable as exc:
                self.message_user(request, f"DNS could not be checked, nothing was recorded; try again later: {exc}",
                                  messages.ERROR)
                break
            except Exception as exc:  # one broken domain must not hide the others' results behind a 500
                logger.exception("admin: DNS check of %s", domain.name)
                self.message_user(request, f"{domain.name}: the DNS check failed: {type(exc).__name__}: {exc}",
                                  messages.ERROR)
                continue
            if check.passed:
                passed += 1
            else:
                self.message_user(request, f"{domain.name} failed: {failure_summary(check)}", messages.WARNING)
        if passed:
            self.message_user(request, f"{passed} domain(s) passed the DNS check.", messages.SUCCESS)

    @admin.action(description="Publish DNS records")
    def publish_dns_records(self, request: HttpRequest, queryset: QuerySet[Domain]) -> None:
        provider = self._guard(request, "the DNS provider could not be loaded", get_provider)
        if provider is None:
            return
        published = 0
        for domain in queryset:
            records = self._guard(request, f"{domain.name}: publishing failed", lambda d=domain: provider.publish(d))
            published += records is not None
        if published:
            self.message_user(request, f"DNS records published for {published} domain(s); check DNS once they "
                                       "propagate.", messages.SUCCESS)

    @admin.action(description="Retire")
    def retire(self, request: HttpRequest, queryset: QuerySet[Domain]) -> None:
        done = 0
        for domain in queryset:
            try:
                domain.transition(DomainState.RETIRED, reason="retired by ops in the admin",
                                  actor=request.user.get_username())
                done += 1
            except IllegalDomainTransition as exc:
                self.message_user(request, str(exc), messages.WARNING)
        if done:
            self.message_user(request, f"{done} domain(s) retired.", messages.SUCCESS)

    def _guard(self, request: HttpRequest, what: str, call: Callable[[], object]) -> object | None:
        """Run ``call``; an error becomes a message to the user (and a log line), never a 500."""
        try:
            return call()
        except Exception as exc:  # an admin action reports, it does not crash the changelist
            logger.exception("admin: %s", what)
            self.message_user(request, f"{what}: {type(exc).__name__}: {exc}", messages.ERROR)
            return None


@admin.register(DnsCheck)
class DnsCheckAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    deletable = True  # old checks may be pruned; a check is never edited
    list_display = ["domain", "checked_at", "passed", "dmarc_policy", "failures"]
    list_filter = ["passed", "dmarc_policy", "domain__organization"]
    search_fields = ["domain__name"]
    date_hierarchy = "checked_at"
    list_select_related = ["domain"]
    readonly_fields = ["domain", "checked_at", "passed", "dmarc_policy", "nameservers", "record_results"]
    exclude = ["results"]

    @admin.display(description="what failed")
    def failures(self, check: DnsCheck) -> str:
        return failure_summary(check) or "-"

    @admin.display(description="results")
    def record_results(self, check: DnsCheck) -> str:
        return format_html_join(
            "\n", "<div><strong>{}</strong> {}: {}<br><code>{}</code></div>",
            ((kind.upper(), "pass" if r.get("ok") else "FAIL", r.get("detail", ""), " | ".join(r.get("records", [])))
             for kind, r in check.results.items()))


@admin.register(DomainTransition)
class DomainTransitionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """An audit trail: never added, edited or deleted by hand."""

    list_display = ["domain", "from_state", "to_state", "reason", "actor", "at"]
    list_filter = ["to_state", "from_state", "domain__organization"]
    search_fields = ["domain__name", "reason", "actor"]
    date_hierarchy = "at"
    list_select_related = ["domain"]
    readonly_fields = ["domain", "from_state", "to_state", "reason", "actor", "at"]


class DnsRecordForm(forms.ModelForm):
    class Meta:
        model = DnsRecord
        fields = ["domain", "name", "rtype", "value", "ttl", "priority"]

    def clean_name(self) -> str:
        return normalize_domain_name(self.cleaned_data["name"])

    def clean_rtype(self) -> str:
        return self.cleaned_data["rtype"].strip().upper()


@admin.register(DnsRecord)
class DnsRecordAdmin(admin.ModelAdmin):
    """The records the local provider published; editable, as a registrar's DNS panel would be."""

    form = DnsRecordForm
    list_display = ["name", "rtype", "short_value", "priority", "ttl", "domain"]
    list_filter = ["rtype"]
    search_fields = ["name", "value", "domain__name"]
    list_select_related = ["domain"]
    autocomplete_fields = ["domain"]

    @admin.display(description="value")
    def short_value(self, record: DnsRecord) -> str:
        return record.value if len(record.value) <= 80 else record.value[:77] + "…"
