"""The campaigns admin: campaigns (window, pacing, sequence; start / pause / resume), sequences with their steps
and variants (template errors shown on the field, the API's rules), enrollments (pause / resume / stop through
the state machine, audit trail inline), contacts and lists. Changelists read related rows in their one query."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from campaigns import services
from campaigns.admin_contact_import import import_contacts_view
from campaigns.models import (
    Campaign,
    Contact,
    ContactList,
    Enrollment,
    EnrollmentTransition,
    IllegalEnrollmentTransition,
    Sequence,
    SequenceStep,
    StepVariant,
)
from campaigns.sequence_serializers import STEPS_IN_USE


def actor(request: HttpRequest) -> str:
    return request.user.get_username()


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "sequence", "contact_list", "domains_in_use", "messages_sent",
                    "created_at")
    list_filter = ("status", "organization")
    list_select_related = ("organization", "sequence", "contact_list")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    readonly_fields = ("started_at", "created_at")
    fieldsets = (
        (None, {"fields": ("organization", "name", "slug", "status", "from_name")}),
        ("Sequence", {"fields": ("sequence", "contact_list")}),
        ("Send window", {"fields": ("send_days", "send_start", "send_end", "timezone"),
                         "description": "In each contact's local time; days are numbers, 0 = Monday … 6 = Sunday."}),
        ("Pacing", {"fields": ("min_gap_seconds", "max_gap_seconds"),
                    "description": "Each inbox waits a random gap in this range between two sequence emails."}),
        ("Single email (send_campaign agent)", {"fields": ("subject_template", "body_template"),
                                                "classes": ("collapse",)}),
        ("Dates", {"fields": ("started_at", "created_at")}),
    )
    actions = ["start_campaigns", "pause_campaigns", "resume_campaigns"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Campaign]:
        # Counted in the changelist's one query, not one query per row.
        return super().get_queryset(request).annotate(
            n_domains=Count("domains", distinct=True), n_messages=Count("messages", distinct=True))

    @admin.display(description="domains", ordering="n_domains")
    def domains_in_use(self, obj: Campaign) -> int:
        return obj.n_domains

    @admin.display(description="messages", ordering="n_messages")
    def messages_sent(self, obj: Campaign) -> int:
        return obj.n_messages

    def _each(self, request: HttpRequest, queryset: QuerySet[Campaign], verb: str,
              run: Callable[[Campaign], dict[str, Any]], describe: Callable[[dict[str, Any]], str]) -> None:
        """Run a service on each campaign; its refusals become error messages, the rest one success line each."""
        for campaign in queryset.select_related("sequence", "contact_list", "organization"):
            try:
                result = run(campaign)
            except services.CampaignError as exc:
                self.message_user(request, f"{campaign.slug}: not {verb}: {exc.message}", messages.ERROR)
            else:
                self.message_user(request, f"{campaign.slug}: {describe(result)}", messages.SUCCESS)

    @admin.action(description="Start (enroll its list)")
    def start_campaigns(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, "started",
                   lambda c: services.start_campaign(c, contact_list=c.contact_list, actor=actor(request)),
                   lambda r: f"{r['status']}; {r['enrolled']} enrolled, {r['already_enrolled']} already in, "
                             f"{r['suppressed']} suppressed, {r['without_email']} without email; "
                             f"{r['sending_inboxes']} sending inbox(es)")

    @admin.action(description="Pause")
    def pause_campaigns(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, "paused", lambda c: services.pause_campaign(c, actor=actor(request)),
                   lambda r: "paused" if r["changed"] else "was already paused")

    @admin.action(description="Resume")
    def resume_campaigns(self, request: HttpRequest, queryset: QuerySet[Campaign]) -> None:
        self._each(request, queryset, "resumed", lambda c: services.resume_campaign(c, actor=actor(request)),
                   lambda r: "resumed" if r["changed"] else "was already active")


# --- sequences ------------------------------------------------------------------------------------------------------

class SequenceStepFormSet(BaseInlineFormSet):
    """The API's rule in the admin: while contacts are in the sequence its steps stay where they are."""

    def clean(self) -> None:
        super().clean()
        sequence = self.instance
        if sequence.pk is None:
            return
        changed = [form for form in self.initial_forms
                   if form in self.deleted_forms or {"position", "kind"} & set(form.changed_data)]
        if changed and (in_use := sequence.contacts_in()):
            raise ValidationError(STEPS_IN_USE.format(n=in_use))


class SequenceStepInline(admin.TabularInline):
    model = SequenceStep
    formset = SequenceStepFormSet
    fields = ("position", "kind", "wait_days")
    extra = 0
    show_change_link = True  # the step's own page edits its variants


@admin.register(Sequence)
class SequenceAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "step_count", "updated_at")
    list_filter = ("organization",)
    list_select_related = ("organization",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    inlines = [SequenceStepInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Sequence]:
        return super().get_queryset(request).annotate(n_steps=Count("steps"))

    @admin.display(description="steps", ordering="n_steps")
    def step_count(self, obj: Sequence) -> int:
        return obj.n_steps


class StepVariantInline(admin.StackedInline):
    # StepVariant.clean() checks the texts with the organization's variables: errors show on the field.
    model = StepVariant
    fields = ("label", "subject_template", "body_template")
    extra = 0


@admin.register(SequenceStep)
class SequenceStepAdmin(admin.ModelAdmin):
    list_display = ("__str__", "sequence", "kind", "wait_days")
    list_filter = ("kind", "sequence__organization")
    list_select_related = ("sequence",)
    search_fields = ("sequence__name", "sequence__slug")
    raw_id_fields = ("sequence",)
    inlines = [StepVariantInline]


# --- enrollments ----------------------------------------------------------------------------------------------------

class EnrollmentTransitionInline(admin.TabularInline):
    model = EnrollmentTransition
    fields = ("at", "from_state", "to_state", "step_index", "reason", "actor")
    readonly_fields = fields
    extra = 0
    can_delete = False
    ordering = ("at", "id")

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Enrollment)
class EnrollmentAdmin(admin.ModelAdmin):
    list_display = ("contact", "campaign", "state", "step_index", "next_due_at", "inbox", "last_error")
    list_filter = ("state", "campaign")
    list_select_related = ("contact", "campaign", "inbox")
    search_fields = ("contact__email",)
    # States move through the actions (the state machine, audited), never by editing the row.
    readonly_fields = ("organization", "campaign", "contact", "state", "step_index", "next_due_at", "claimed_until",
                       "inbox", "thread_subject", "thread_message_ids", "emails_sent", "last_step", "last_variant",
                       "last_sent_at", "last_error", "enrolled_at", "state_changed_at", "paused_from")
    inlines = [EnrollmentTransitionInline]
    actions = ["pause_enrollments", "resume_enrollments", "stop_enrollments"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def _move(self, request: HttpRequest, queryset: QuerySet[Enrollment], method: str, done: str) -> None:
        moved, refused = 0, []
        for enrollment in queryset.select_related("contact"):
            try:
                ok = getattr(enrollment, method)(reason=f"{done} in the admin by {actor(request)}", actor=actor(request))
            except IllegalEnrollmentTransition:
                ok = False
            if ok:
                moved += 1
            else:
                refused.append(f"{enrollment.contact} ({enrollment.state})")
        self.message_user(request, f"{moved} enrollment(s) {done}.", messages.SUCCESS)
        if refused:
            self.message_user(request, f"not {done}: {', '.join(refused)}", messages.WARNING)

    @admin.action(description="Pause")
    def pause_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._move(request, queryset, "pause", "paused")

    @admin.action(description="Resume")
    def resume_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._move(request, queryset, "resume", "resumed")

    @admin.action(description="Stop")
    def stop_enrollments(self, request: HttpRequest, queryset: QuerySet[Enrollment]) -> None:
        self._move(request, queryset, "stop", "stopped")


# --- contacts -------------------------------------------------------------------------------------------------------

@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    # The list's page links to the import too (templates/admin/campaigns/contactlist/change_form.html).
    list_display = ("name", "organization", "contact_count", "created_at", "import_link")
    list_filter = ("organization",)
    list_select_related = ("organization",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def get_queryset(self, request: HttpRequest) -> QuerySet[ContactList]:
        return super().get_queryset(request).annotate(n_contacts=Count("contacts"))

    @admin.display(description="contacts", ordering="n_contacts")
    def contact_count(self, obj: ContactList) -> int:
        return obj.n_contacts

    @admin.display(description="import")
    def import_link(self, obj: ContactList) -> str:
        return format_html('<a href="{}">Import contacts from CSV</a>',
                           reverse("admin:campaigns_contactlist_import_contacts", args=[obj.pk]))

    def get_urls(self) -> list[URLPattern]:
        def view(request: HttpRequest, object_id: str) -> HttpResponse:
            return import_contacts_view(self, request, object_id)

        return [path("<path:object_id>/import-contacts/", self.admin_site.admin_view(view),
                     name="campaigns_contactlist_import_contacts"), *super().get_urls()]


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ("email", "phone", "first_name", "last_name", "company", "timezone", "source", "organization",
                    "llm_consent")
    list_filter = ("organization", "lists", "llm_consent")
    list_select_related = ("organization",)
    search_fields = ("email", "phone", "first_name", "last_name", "company", "source")
    filter_horizontal = ("lists",)
    fieldsets = (
        (None, {"fields": ("organization", "email", "phone", "first_name", "last_name", "company", "timezone")}),
        ("Lists and fields", {"fields": ("lists", "custom_fields", "llm_consent")}),
        ("SMS consent", {"fields": ("sms_consent_at", "sms_consent_source")}),
        ("Origin", {"fields": ("source", "created_at")}),
    )
    readonly_fields = ("created_at",)
    actions = ["suppress_everywhere"]

    def save_model(self, request: HttpRequest, obj: Contact, form: Any, change: bool) -> None:
        # Where the data came from (GDPR Art. 14): a contact typed in the admin says so.
        if not change and not obj.source:
            obj.source = f"admin by {actor(request)}"
        super().save_model(request, obj, form, change)

    @admin.action(description="Suppress on every channel (unsubscribe)")
    def suppress_everywhere(self, request: HttpRequest, queryset: QuerySet[Contact]) -> None:
        from inboxes.models import Suppression
        from inboxes.suppression import suppress

        count = 0
        for contact in queryset.select_related("organization"):
            suppress(contact.organization, email=contact.email, phone=contact.phone, contact=contact,
                     reason=Suppression.Reason.MANUAL, source=f"admin:{request.user.get_username()}")
            count += 1
        self.message_user(request, f"{count} contact(s) suppressed on email and SMS.")
