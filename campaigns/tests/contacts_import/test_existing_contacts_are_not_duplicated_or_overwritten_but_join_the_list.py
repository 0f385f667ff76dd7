from __future__ import annotations

from campaigns.contact_import import import_contacts
from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes


def test_a_known_email_joins_the_list_with_its_data_untouched(organization):
    known = Contact.objects.create(organization=organization, email="ann@x.example", first_name="Ann",
                                   company="", custom_fields={"industry": "Retail"}, source="admin")
    data = csv_bytes("email,first_name,company,industry", "Ann@X.example,Annie,Client Ltd,Banking",
                     "new@x.example,New,,")

    report = import_contacts(organization, "Fair", data, filename="f.csv", actor="a")

    assert (report.created, report.existing, report.imported) == (1, 1, 2)
    assert Contact.objects.filter(organization=organization).count() == 2
    known.refresh_from_db()
    # Not even an empty field is filled in: the file may be older than what someone corrected by hand.
    assert (known.first_name, known.company, known.custom_fields, known.source) == (
        "Ann", "", {"industry": "Retail"}, "admin")
    assert known.lists.get() == ContactList.objects.get(slug="fair")


def test_importing_the_same_file_twice_changes_nothing_the_second_time(organization):
    data = csv_bytes("email", "ann@x.example", "bob@x.example")
    import_contacts(organization, "Fair", data, filename="f.csv", actor="a")

    again = import_contacts(organization, "Fair", data, filename="f.csv", actor="a")

    assert (again.created, again.existing) == (0, 2)
    assert Contact.objects.count() == 2
    assert ContactList.objects.get().contacts.count() == 2
