from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from campaigns.contact_import import RowError, import_contacts
from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes

BAD_FILE = csv_bytes(
    "email,first_name,phone,timezone",
    "good@x.example,Good,,",
    "not-an-address,Bad,,",
    ",Phone only,+14155550100,",
    "tz@x.example,Zone,,Mars/Olympus",
    "short@x.example,Short,+44 12,",
    "national@x.example,National,020 7946 0000,",
    "columns@x.example,Columns",
)
EXPECTED = [
    RowError(3, "email", "'not-an-address' is not an email address"),
    RowError(4, "email", "an email address is required"),
    RowError(5, "timezone", "'Mars/Olympus' is not an IANA timezone (e.g. Europe/London)"),
    RowError(6, "phone", "'+44 12' is not a phone number (wrong length for its country)"),
    RowError(7, "phone", "'020 7946 0000' has no country code; write it as +<country code> <number> "
                         "(e.g. +44 7700 900123)"),
    RowError(8, "columns", "has 2 columns, the header has 4"),
]


def test_the_service_reports_every_bad_row_and_writes_nothing(organization):
    report = import_contacts(organization, "New list", BAD_FILE, filename="bad.csv", actor="alice")

    assert not report.ok
    assert report.errors == EXPECTED
    assert (report.created, report.imported) == (0, 0)
    assert report.refusal() == "nothing was imported: 6 rows have errors"
    assert not Contact.objects.exists()
    assert not ContactList.objects.exists()  # not even the new list


def test_a_national_number_is_read_in_the_default_region_when_one_is_given(organization):
    data = csv_bytes("email,phone", "national@x.example,020 7946 0000")

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a", default_region="GB")

    assert report.ok, report.errors
    assert Contact.objects.get().phone == "+442079460000"


def test_a_value_longer_than_the_field_is_an_error(organization):
    data = csv_bytes("email,first_name", f"long@x.example,{'A' * 101}")

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert report.errors == [RowError(2, "first_name", "is 101 characters long; at most 100 fit")]


def test_the_api_answers_400_with_every_error_and_writes_nothing(api_client, organization):
    response = api_client.post("/api/contacts/import", {"file": _upload(BAD_FILE), "list": "New list"},
                               format="multipart")

    assert response.status_code == 400, response.content
    body = response.json()
    assert body["detail"] == "nothing was imported: 6 rows have errors"
    assert body["errors"][0] == {"row": 3, "field": "email", "reason": "'not-an-address' is not an email address"}
    assert [RowError(**e) for e in body["errors"]] == EXPECTED
    assert not Contact.objects.exists()
    assert not ContactList.objects.exists()


def test_the_command_lists_every_error_and_fails_with_one_line(organization, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILE)
    out, err = StringIO(), StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("rex_import_contacts", str(path), "--list", "New list", "--organization", "acme",
                     stdout=out, stderr=err)

    message = str(failure.value)
    assert "\n" not in message
    assert message == ("nothing was imported: 6 rows have errors: row 3, email: 'not-an-address' is not an email "
                       "address; row 4, email: an email address is required; row 5, timezone: 'Mars/Olympus' is not "
                       "an IANA timezone (e.g. Europe/London) (and 3 more)")
    assert err.getvalue().splitlines() == [str(e) for e in EXPECTED]
    assert not Contact.objects.exists()


def _upload(data: bytes, name: str = "bad.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="text/csv")
