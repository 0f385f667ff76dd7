from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils.html import format_html

from campaigns.admin_contact_import import import_contacts_view
from campaigns.models import Campaign, Contact, ContactList


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "status", "domains_in_use", "messages_sent", "created_at")
    list_filter = ("status", "organization")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}

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


@admin.register(ContactList)
class ContactListAdmin(admin.ModelAdmin):
    # The list's page links to the import too (templates/admin/campaigns/contactlist/change_form.html).
    list_display = ("name", "organization", "contact_count", "created_at", "import_link")
    list_filter = ("organization",)
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
    list_display = ("email", "phone", "first_name", "last_name", "company", "organization", "llm_consent")
    list_filter = ("organization", "lists", "llm_consent")
    search_fields = ("email", "phone", "first_name", "last_name", "company", "source")
    filter_horizontal = ("lists",)
    actions = ["suppress_everywhere"]

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
