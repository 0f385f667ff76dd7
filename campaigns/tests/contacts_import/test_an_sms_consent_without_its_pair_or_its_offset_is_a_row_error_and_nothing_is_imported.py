from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from campaigns.contact_csv import CONSENT_BOTH
from campaigns.contact_import import RowError, import_contacts
from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes

BAD_FILE = csv_bytes(
    "email,sms_consent_at,sms_consent_source",
    "good@x.example,2026-03-01T10:15:00+01:00,web form",
    "time-only@x.example,2026-03-01T10:15:00+01:00,",
    "source-only@x.example,,web form",
    "naive@x.example,2026-03-01 10:15,web form",
    "garbled@x.example,first of March,web form",
    "future@x.example,2999-01-01T00:00:00+00:00,web form",
)
EXPECTED = [
    RowError(3, "sms_consent_source", CONSENT_BOTH),
    RowError(4, "sms_consent_at", CONSENT_BOTH),
    RowError(5, "sms_consent_at", "'2026-03-01 10:15' has no UTC offset; add one (e.g. 2026-03-01T10:15:00+00:00 "
                                  "or …Z)"),
    RowError(6, "sms_consent_at", "'first of March' is not an ISO-8601 date-time with an offset "
                                  "(e.g. 2026-03-01T10:15:00+00:00)"),
    RowError(7, "sms_consent_at", "'2999-01-01T00:00:00+00:00' is in the future: consent is recorded once given"),
]


def test_the_service_names_each_bad_consent_row_and_writes_nothing(organization):
    report = import_contacts(organization, "Texts", BAD_FILE, filename="bad.csv", actor="alice")

    assert report.errors == EXPECTED
    assert report.refusal() == "nothing was imported: 5 rows have errors"
    assert not Contact.objects.exists()
    assert not ContactList.objects.exists()


def test_the_api_answers_400_with_the_consent_errors(api_client, organization):
    upload = SimpleUploadedFile("bad.csv", BAD_FILE, content_type="text/csv")

    response = api_client.post("/api/contacts/import", {"file": upload, "list": "Texts"}, format="multipart")

    assert response.status_code == 400, response.content
    assert [RowError(**e) for e in response.json()["errors"]] == EXPECTED
    assert not Contact.objects.exists()
