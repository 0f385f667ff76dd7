from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes


def import_url(contact_list: ContactList) -> str:
    return reverse("admin:campaigns_contactlist_import_contacts", args=[contact_list.pk])


def test_the_page_is_linked_from_the_list_and_the_changelist(admin_client, organization):
    contact_list = ContactList.objects.create(organization=organization, name="Fair")

    change_page = admin_client.get(reverse("admin:campaigns_contactlist_change", args=[contact_list.pk]))
    changelist = admin_client.get(reverse("admin:campaigns_contactlist_changelist"))
    page = admin_client.get(import_url(contact_list))

    assert import_url(contact_list) in change_page.content.decode()
    assert import_url(contact_list) in changelist.content.decode()
    assert page.status_code == 200
    assert 'type="file"' in page.content.decode()


def test_an_upload_imports_the_contacts_and_shows_the_counts(admin_client, admin_user, organization):
    contact_list = ContactList.objects.create(organization=organization, name="Fair")
    data = csv_bytes("email,first_name", "ann@x.example,Ann", "ann@x.example,Ann again", "bob@x.example,Bob")

    response = admin_client.post(import_url(contact_list), {"file": SimpleUploadedFile("fair.csv", data)})

    assert response.status_code == 200
    page = response.content.decode()
    assert "2 contact(s) from 3 row(s) on list &#x27;fair&#x27;: 2 created" in page
    assert 'id="import-duplicates"' in page
    assert set(contact_list.contacts.values_list("email", flat=True)) == {"ann@x.example", "bob@x.example"}
    assert Contact.objects.get(email="bob@x.example").source == f"csv:fair.csv row 4 by {admin_user.username}"


def test_a_refused_upload_lists_each_row_error_and_imports_nothing(admin_client, organization):
    contact_list = ContactList.objects.create(organization=organization, name="Fair")
    data = csv_bytes("email,phone", "ann@x.example,", "oops,", "bob@x.example,555-0100")

    response = admin_client.post(import_url(contact_list), {"file": SimpleUploadedFile("fair.csv", data)})

    page = response.content.decode()
    # The admin capitalises its messages.
    assert "Nothing was imported: 2 rows have errors" in page
    assert "Row 3, email: &#x27;oops&#x27; is not an email address" in page
    assert "Row 4, phone: &#x27;555-0100&#x27; has no country code" in page
    assert 'id="import-errors"' in page
    assert not Contact.objects.exists()


def test_the_default_region_reads_national_phone_numbers(admin_client, organization):
    contact_list = ContactList.objects.create(organization=organization, name="Fair")
    data = csv_bytes("email,phone", "bob@x.example,(415) 555-0100")

    admin_client.post(import_url(contact_list), {"file": SimpleUploadedFile("fair.csv", data),
                                                 "default_region": "us"})

    assert Contact.objects.get().phone == "+14155550100"
