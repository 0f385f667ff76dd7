"""The admin's "Import contacts from CSV" page of a contact list (linked from the list's page and the changelist).

Upload a file, get the report on the same page: the counts as a message, and when the file was refused every
row's error as its own message and in a table (nothing is written then). The import itself is
``campaigns.contact_import``.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from campaigns.contact_import import ImportReport, import_contacts
from campaigns.models import ContactList

# One message per row error up to this many; the page's table lists them all.
ERROR_MESSAGES_SHOWN = 50


class ContactImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="A header row with an Email column; UTF-8, separated by "
                                                       "commas, semicolons or tabs.")
    default_region = forms.CharField(
        required=False, max_length=2, label="Country of national phone numbers",
        help_text="Two letters (GB, US). Leave empty to require +<country code> on every phone number.")

    def clean_default_region(self) -> str | None:
        return self.cleaned_data["default_region"].strip().upper() or None


def import_contacts_view(model_admin: admin.ModelAdmin, request: HttpRequest, object_id: str) -> HttpResponse:
    contact_list = model_admin.get_object(request, object_id)
    if contact_list is None:
        raise Http404(f"no contact list with id {object_id!r}")
    if not model_admin.has_change_permission(request, contact_list):
        raise PermissionDenied
    report: ImportReport | None = None
    # Bound on every POST: a form of just a file has an empty request.POST.
    form = ContactImportForm(request.POST, request.FILES) if request.method == "POST" else ContactImportForm()
    if form.is_bound and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_contacts(contact_list.organization, contact_list, upload, filename=upload.name,
                                 actor=request.user.get_username(),
                                 default_region=form.cleaned_data["default_region"])
        _tell(request, report)
    context = {
        **model_admin.admin_site.each_context(request),
        "opts": ContactList._meta,
        "original": contact_list,
        "title": f"Import contacts from CSV into {contact_list}",
        "form": form,
        "report": report,
    }
    return TemplateResponse(request, "admin/campaigns/contactlist/import_contacts.html", context)


def _tell(request: HttpRequest, report: ImportReport) -> None:
    if report.ok:
        messages.success(request, report.summary())
    else:
        messages.error(request, report.refusal())
        for error in report.errors[:ERROR_MESSAGES_SHOWN]:
            messages.error(request, str(error))
        if len(report.errors) > ERROR_MESSAGES_SHOWN:
            messages.error(request, f"… and {len(report.errors) - ERROR_MESSAGES_SHOWN} more errors (listed below)")
    for warning in report.warnings:
        messages.warning(request, warning)
