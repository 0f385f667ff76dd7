from __future__ import annotations

import pytest

from campaigns import contact_csv
from campaigns.contact_import import RowError, import_contacts
from campaigns.models import Contact
from campaigns.tests.contacts_import.csv_files import csv_bytes


def test_an_empty_file_is_refused(organization):
    report = import_contacts(organization, "l", b"\xef\xbb\xbf \r\n", filename="f.csv", actor="a")

    assert [(e.row, e.field) for e in report.errors] == [(1, "file")]
    assert report.refusal().startswith("nothing was imported: the file is empty")


def test_a_file_without_an_email_column_is_refused_on_row_one(organization):
    report = import_contacts(organization, "l", csv_bytes("name,phone", "Ann,+14155550100"), filename="f.csv",
                             actor="a")

    assert len(report.errors) == 1
    assert (report.errors[0].row, report.errors[0].field) == (1, "email")
    assert not Contact.objects.exists()


def test_two_columns_read_as_the_same_field_are_refused(organization):
    report = import_contacts(organization, "l", csv_bytes("Email,E-mail", "a@x.example,b@x.example"),
                             filename="f.csv", actor="a")

    assert report.errors == [RowError(1, "email", "two columns are read as 'email': 'Email' and 'E-mail'")]


def test_more_rows_than_the_limit_are_refused(organization, monkeypatch):
    monkeypatch.setattr(contact_csv, "MAX_ROWS", 3)
    data = csv_bytes("email", *(f"c{i}@x.example" for i in range(4)))

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert report.errors == [RowError(5, "file", "more than 3 contact rows; split the file")]
    assert not Contact.objects.exists()


def test_a_binary_file_is_refused_not_crashed_on(organization):
    report = import_contacts(organization, "l", b"\x81\x8d\x00\xff" * 10, filename="f.xlsx", actor="a")

    assert not report.ok
    assert report.errors[0].field == "file"


@pytest.mark.parametrize("name", ["", "   ", "!!!", "x" * 101])
def test_an_unusable_list_name_is_a_value_error(organization, name):
    with pytest.raises(ValueError):
        import_contacts(organization, name, csv_bytes("email", "a@x.example"), filename="f.csv", actor="a")
