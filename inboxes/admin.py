"""Ops screens for inboxes, their daily counters, the suppression list and outbound messages.

The inbox's encrypted secret is never displayed, not even as a read-only field: the form has a write-only "new
password" field (never rendered back) and the page says only whether a password is set. Status changes go
through ``Inbox.pause_sending`` / ``resume_sending`` (conditional updates), never through the form.
"""

from __future__ import annotations

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import Prefetch, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from core.admin import ReadOnlyAdminMixin
from inboxes.addresses import email_digest, phone_digest
from inboxes.models import BounceRecord, DomainDay, Inbox, InboxDay, Incident, OutboundMessage, Suppression


class InboxAdminForm(forms.ModelForm):
    new_password = forms.CharField(
        label="New password", required=False, strip=False,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        help_text="SMTP/IMAP password or API key. Stored encrypted and never shown; leave blank to keep the "
                  "current one.")
    clear_password = forms.BooleanField(label="Remove the stored password", required=False)

    class Meta:
        model = Inbox
        exclude = ["password_encrypted"]  # editable=False already; excluded again so no change can expose it

    def clean(self) -> dict:
        cleaned = super().clean()
        if cleaned.get("new_password") and cleaned.get("clear_password"):
            raise forms.ValidationError("Give a new password or remove the stored one, not both.")
        domain, organization = cleaned.get("domain"), cleaned.get("organization")
        if domain is not None and organization is not None and domain.organization_id != organization.pk:
            self.add_error("domain", f"{domain.name} belongs to another organization.")
        return cleaned

    def clean_address(self) -> str:
        return self.cleaned_data["address"].strip().lower()


class SentTodayMixin:
    """Today's sends per inbox from one prefetch query per page (each inbox on its own local day)."""

    def get_queryset(self, request: HttpRequest) -> QuerySet[Inbox]:
        utc_day = timezone.now().date()
        days = InboxDay.objects.filter(day__range=(utc_day - timedelta(days=1), utc_day + timedelta(days=1)))
        return super().get_queryset(request).select_related("domain", "organization").prefetch_related(
            Prefetch("days", queryset=days, to_attr="recent_days"))

    @admin.display(description="sent today")
    def sent_today(self, obj: Inbox) -> str:
        today = obj.local_today()
        sent = next((d.sent for d in getattr(obj, "recent_days", []) if d.day == today), 0)
        return f"{sent} / {obj.current_limit()}"


@admin.register(Inbox)
class InboxAdmin(SentTodayMixin, admin.ModelAdmin):
    form = InboxAdminForm
    list_display = ["address", "domain", "organization", "provider", "status", "daily_cap", "warmup",
                    "sent_today", "password_set"]
    list_filter = ["status", "provider", "domain__state", "organization"]
    search_fields = ["address", "domain__name"]
    list_select_related = ["domain", "organization"]
    actions = ["pause_inboxes", "resume_inboxes"]
    readonly_fields = ["status", "password_set", "warmup_limit", "warmup_day", "warmup_advanced_on", "paused_at",
                       "pause_reason", "pauses", "created_at"]
    fieldsets = [
        (None, {"fields": ["organization", "domain", "address", "display_name", "provider", "timezone",
                           "status"]}),
        ("Secret", {"fields": ["password_set", "new_password", "clear_password"]}),
        ("SMTP", {"fields": ["smtp_host", "smtp_port", "smtp_username", "smtp_security"]}),
        ("IMAP", {"fields": ["imap_host", "imap_port", "imap_username"], "classes": ["collapse"]}),
        ("Volume", {"fields": ["daily_cap", "warmup_start", "warmup_increment", "warmup_target_days",
                               "warmup_limit", "warmup_day", "warmup_advanced_on"]}),
        ("Pauses", {"fields": ["paused_at", "pause_reason", "pauses", "created_at"]}),
    ]

    @admin.display(description="warmup (limit / day)")
    def warmup(self, obj: Inbox) -> str:
        return f"{obj.warmup_limit} / day {obj.warmup_day}"

    @admin.display(description="password set", boolean=True)
    def password_set(self, obj: Inbox) -> bool:
        return obj.has_password

    def save_model(self, request: HttpRequest, obj: Inbox, form: InboxAdminForm, change: bool) -> None:
        if form.cleaned_data.get("new_password"):
            obj.set_password(form.cleaned_data["new_password"])
        elif form.cleaned_data.get("clear_password"):
            obj.set_password("")
        super().save_model(request, obj, form, change)

    @admin.action(description="Pause selected inboxes (stop sending)")
    def pause_inboxes(self, request: HttpRequest, queryset: QuerySet[Inbox]) -> None:
        reason = f"paused by {request.user.get_username()} in the admin"
        done = [inbox.address for inbox in queryset if inbox.pause_sending(reason)]
        self._report(request, queryset, done, "paused", "it was not pending, warming or active")

    @admin.action(description="Resume selected paused or disabled inboxes")
    def resume_inboxes(self, request: HttpRequest, queryset: QuerySet[Inbox]) -> None:
        done = [inbox.address for inbox in queryset if inbox.resume_sending()]
        self._report(request, queryset, done, "resumed", "it was not paused or disabled")

    def _report(self, request: HttpRequest, queryset: QuerySet[Inbox], done: list[str], verb: str,
                why: str) -> None:
        if done:
            self.message_user(request, f"{len(done)} inbox(es) {verb}.", messages.SUCCESS)
        skipped = sorted({inbox.address for inbox in queryset} - set(done))
        if skipped:
            self.message_user(request, f"Not {verb} ({why}): {', '.join(skipped)}", messages.WARNING)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows written only by REX itself (counters, the outbound log): ops read them, never edit them."""


@admin.register(InboxDay)
class InboxDayAdmin(ReadOnlyAdmin):
    list_display = ["inbox", "day", "sent", "bounces", "complaints"]
    list_filter = ["day", "inbox__status", "inbox__organization"]
    search_fields = ["inbox__address", "inbox__domain__name"]
    list_select_related = ["inbox"]
    date_hierarchy = "day"


@admin.register(DomainDay)
class DomainDayAdmin(ReadOnlyAdmin):
    list_display = ["domain", "day", "sent", "domain_cap"]
    list_filter = ["day", "domain__state", "domain__organization"]
    search_fields = ["domain__name"]
    list_select_related = ["domain"]
    date_hierarchy = "day"

    @admin.display(description="cap")
    def domain_cap(self, obj: DomainDay) -> int:
        return obj.domain.daily_cap


class SuppressionAdminForm(forms.ModelForm):
    class Meta:
        model = Suppression
        fields = ["organization", "email", "phone", "reason", "source", "contact"]

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()

    def clean_phone(self) -> str:
        return self.cleaned_data["phone"].strip()

    def clean(self) -> dict:
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone"):
            raise forms.ValidationError("Give the e-mail address or the phone number to suppress.")
        contact, organization = cleaned.get("contact"), cleaned.get("organization")
        if contact is not None and organization is not None and contact.organization_id != organization.pk:
            self.add_error("contact", "This contact belongs to another organization.")
        if organization is not None and self.instance.pk is None:
            for name in ("email", "phone"):
                value = cleaned.get(name)
                # By digest: an erased entry for this address counts, though its plaintext is gone.
                digest_of = email_digest if name == "email" else phone_digest
                existing = value and Suppression.objects.filter(
                    organization=organization, **{f"{name}_hash": digest_of(value)}).first()
                if existing:
                    self.add_error(name, f"{value} is already suppressed in {organization} "
                                         f"({existing.get_reason_display()}, {existing.created_at:%Y-%m-%d}).")
        return cleaned


@admin.register(Suppression)
class SuppressionAdmin(admin.ModelAdmin):
    """Ops may add a suppression (it takes effect at once) or lift one; an existing entry is not edited."""

    form = SuppressionAdminForm
    list_display = ["email", "phone", "reason", "organization", "source", "created_at", "erased_at"]
    list_filter = ["reason", "organization"]
    search_fields = ["email", "phone"]
    list_select_related = ["organization"]
    raw_id_fields = ["contact"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Suppression | None = None) -> list[str]:
        if obj is not None:
            return ["organization", "email", "phone", "reason", "source", "contact", "created_at"]
        return []

    def save_model(self, request: HttpRequest, obj: Suppression, form: SuppressionAdminForm, change: bool) -> None:
        if not change and not obj.source:
            obj.source = f"admin: {request.user.get_username()}"
        super().save_model(request, obj, form, change)


@admin.register(OutboundMessage)
class OutboundMessageAdmin(ReadOnlyAdmin):
    list_display = ["created_at", "to_address", "subject", "inbox", "channel", "transport", "status", "sent_at"]
    list_filter = ["status", "transport", "channel", "organization"]
    search_fields = ["to_address", "idempotency_key", "message_id", "provider_message_id"]
    list_select_related = ["inbox"]
    date_hierarchy = "created_at"
    readonly_fields = ["id", "organization", "inbox", "campaign", "contact", "mission", "idempotency_key",
                       "channel", "to_address", "subject", "status", "transport", "message_id",
                       "provider_message_id", "slot_day", "error", "created_at", "sent_at", "updated_at"]


@admin.register(BounceRecord)
class BounceRecordAdmin(ReadOnlyAdmin):
    """Every bounce REX learnt of (IMAP, SendGrid, refusals at send time), with its class: what a rate is made of."""

    list_display = ["at", "recipient", "klass", "status", "reason", "inbox", "source"]
    list_filter = ["klass", "organization"]
    search_fields = ["recipient", "reason", "source"]
    list_select_related = ["inbox"]
    date_hierarchy = "at"
    readonly_fields = ["organization", "inbox", "domain", "message", "recipient", "klass", "status", "reason",
                       "source", "at"]


@admin.register(Incident)
class IncidentAdmin(admin.ModelAdmin):
    """Sending incidents (receivers refusing the sender): ops read the reason, fix it, close it, resume the inboxes."""

    list_display = ["opened_at", "domain", "reason", "bounces", "closed_at"]
    list_filter = [("closed_at", admin.EmptyFieldListFilter), "organization"]
    list_select_related = ["domain"]
    readonly_fields = ["organization", "domain", "inbox", "reason", "bounces", "opened_at", "closed_at"]
    actions = ["close"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description="Close (the cause is fixed; resume the inboxes separately)")
    def close(self, request: HttpRequest, queryset: QuerySet[Incident]) -> None:
        closed = queryset.filter(closed_at__isnull=True).update(closed_at=timezone.now())
        self.message_user(request, f"{closed} incident(s) closed.", messages.SUCCESS)
