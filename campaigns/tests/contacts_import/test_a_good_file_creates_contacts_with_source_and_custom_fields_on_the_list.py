from __future__ import annotations

from campaigns.contact_import import import_contacts
from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes


def test_every_row_becomes_a_contact_on_a_new_list_with_its_source_and_custom_fields(organization):
    data = csv_bytes(
        "Email,First Name,Last Name,Company,Phone,Time Zone,Job Title,Industry",
        "Ann@Client.Example,Ann,Lee,Client Ltd,+44 7700 900123,Europe/London,CTO,Retail",
        "bob@other.example,Bob,,,,,,",
    )

    report = import_contacts(organization, "Spring Leads", data, filename="leads.csv", actor="alice")

    assert report.ok, report.errors
    assert (report.list, report.rows, report.created, report.existing, report.imported) == ("spring-leads", 2, 2, 0, 2)
    contact_list = ContactList.objects.get(organization=organization, slug="spring-leads")
    assert contact_list.name == "Spring Leads"
    ann = Contact.objects.get(organization=organization, email="ann@client.example")
    assert (ann.first_name, ann.last_name, ann.company, ann.phone, ann.timezone) == (
        "Ann", "Lee", "Client Ltd", "+447700900123", "Europe/London")
    assert ann.custom_fields == {"job_title": "CTO", "industry": "Retail"}
    assert ann.source == "csv:leads.csv row 2 by alice"
    bob = Contact.objects.get(organization=organization, email="bob@other.example")
    assert bob.custom_fields == {}  # empty custom values are not stored
    assert bob.source == "csv:leads.csv row 3 by alice"
    assert set(contact_list.contacts.all()) == {ann, bob}


def test_an_existing_list_is_found_by_its_name_or_its_slug(organization):
    contact_list = ContactList.objects.create(organization=organization, name="Trade Fair 2025", slug="fair")

    by_slug = import_contacts(organization, "fair", csv_bytes("email", "a@x.example"), filename="a.csv", actor="t")
    by_name = import_contacts(organization, "trade fair 2025", csv_bytes("email", "b@x.example"), filename="b.csv",
                              actor="t")

    assert by_slug.list == by_name.list == "fair"
    assert ContactList.objects.filter(organization=organization).count() == 1
    assert {c.email for c in contact_list.contacts.all()} == {"a@x.example", "b@x.example"}


def test_the_source_names_the_file_not_the_folder_it_was_in(organization):
    import_contacts(organization, "l", csv_bytes("email", "a@x.example"), filename="C:\\Users\\al\\leads.csv",
                    actor="alice")

    assert Contact.objects.get().source == "csv:leads.csv row 2 by alice"
