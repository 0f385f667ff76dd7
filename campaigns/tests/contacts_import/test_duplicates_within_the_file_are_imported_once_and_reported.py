from __future__ import annotations

from campaigns.contact_import import import_contacts
from campaigns.models import Contact
from campaigns.tests.contacts_import.csv_files import csv_bytes


def test_a_repeated_email_is_imported_from_its_first_row_and_later_rows_are_reported(organization):
    data = csv_bytes(
        "email,first_name",
        "ann@x.example,Ann",
        "bob@x.example,Bob",
        "ANN@x.example,Annie",
        "ann@x.example,Anna",
    )

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert report.ok
    assert report.errors == []
    assert (report.rows, report.created) == (4, 2)
    assert report.duplicates_in_file == [{"row": 4, "duplicate_of": 2}, {"row": 5, "duplicate_of": 2}]
    assert Contact.objects.get(email="ann@x.example").first_name == "Ann"
    assert Contact.objects.count() == 2
    assert "2 duplicate row(s) in the file skipped" in report.summary()
