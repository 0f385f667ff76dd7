"""Importing contacts from a CSV: ``POST /api/contacts/import`` (multipart: ``file`` and ``list``).

Thin: check the form, call ``campaigns.contact_import.import_contacts`` for the caller's organization
(``request.organization``), answer with its report: 201 when imported, 400 naming every bad row when not (nothing
is written then).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, parser_classes
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns.contact_import import import_contacts, resolve_list

TAGS = ["contacts"]


class ContactImportRequestSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="A CSV with a header row and an email column (UTF-8; `,` `;` or tab).")
    list = serializers.CharField(max_length=100, help_text="The list's name or slug; a new name creates the list.")

    def validate_list(self, value: str) -> str:
        try:
            resolve_list(self.context["organization"], value)  # reads only: a new list is created with the contacts
        except ValueError as exc:
            raise serializers.ValidationError(str(exc)) from exc
        return value


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(help_text="As a spreadsheet numbers it: the header is row 1.")
    field = serializers.CharField(help_text="The column (email, phone, timezone…), or file / columns.")
    reason = serializers.CharField()


class DuplicateRowSerializer(serializers.Serializer):
    row = serializers.IntegerField()
    duplicate_of = serializers.IntegerField(help_text="The earlier row with the same email (the one imported).")


class ContactImportReportSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    list = serializers.CharField(help_text="The list's slug.")
    rows = serializers.IntegerField(help_text="Contact rows read (blank lines are skipped).")
    imported = serializers.IntegerField(help_text="Contacts now on the list from this file: created + existing.")
    created = serializers.IntegerField()
    existing = serializers.IntegerField(help_text="Already in the organization: added to the list, left unchanged.")
    duplicates_in_file = DuplicateRowSerializer(many=True)
    suppressed = serializers.IntegerField(help_text="Imported but on the suppression list: never sent to.")
    errors = RowErrorSerializer(many=True)
    encoding = serializers.CharField()
    warnings = serializers.ListField(child=serializers.CharField())


class ContactImportRefusedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    errors = RowErrorSerializer(many=True)


@extend_schema(
    request={"multipart/form-data": ContactImportRequestSerializer},
    responses={
        201: OpenApiResponse(ContactImportReportSerializer, description="Every row was imported onto the list."),
        400: OpenApiResponse(ContactImportRefusedSerializer,
                             description="Rows with errors (every one listed; nothing was imported), or field "
                                         "errors (`file`, `list`) in DRF's usual shape."),
    },
    examples=[
        OpenApiExample("Refused", value={"detail": "nothing was imported: 1 row has errors",
                                         "errors": [{"row": 3, "field": "email",
                                                     "reason": "'bob@' is not an email address"}]},
                       response_only=True, status_codes=["400"]),
    ],
    summary="Import contacts from a CSV onto a list (all or nothing)",
    operation_id="contacts_import",
    tags=TAGS,
)
@api_view(["POST"])
@parser_classes([MultiPartParser])
def contacts_import(request: Request) -> Response:
    organization = request.organization
    form = ContactImportRequestSerializer(data=request.data, context={"organization": organization})
    form.is_valid(raise_exception=True)
    upload = form.validated_data["file"]
    report = import_contacts(organization, form.validated_data["list"], upload, filename=upload.name,
                             actor=request.user.get_username())
    if not report.ok:
        return Response({"detail": report.refusal(), "errors": [e.as_dict() for e in report.errors]},
                        status=status.HTTP_400_BAD_REQUEST)
    return Response(report.as_dict(), status=status.HTTP_201_CREATED)
