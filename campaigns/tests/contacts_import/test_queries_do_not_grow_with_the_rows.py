from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.contact_import import import_contacts
from campaigns.models import Contact
from campaigns.tests.contacts_import.csv_files import csv_bytes


def queries_for(organization, rows: int, list_name: str) -> int:
    # Half the addresses are already known, so both the create and the join paths run.
    Contact.objects.bulk_create([Contact(organization=organization, email=f"{list_name}-{i}@x.example")
                                 for i in range(0, rows, 2)])
    data = csv_bytes("email,first_name,industry",
                     *(f"{list_name}-{i}@x.example,N{i},Retail" for i in range(rows)))
    with CaptureQueriesContext(connection) as captured:
        report = import_contacts(organization, list_name, data, filename="f.csv", actor="a")
    assert report.ok and report.imported == rows
    return len(captured.captured_queries)


def test_a_hundred_times_more_rows_take_the_same_number_of_queries(organization):
    assert queries_for(organization, 5, "small") == queries_for(organization, 500, "large")
