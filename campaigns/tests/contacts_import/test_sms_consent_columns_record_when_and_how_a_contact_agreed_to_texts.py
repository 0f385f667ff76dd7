from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from campaigns.contact_import import import_contacts
from campaigns.models import Contact, ContactList
from campaigns.tests.contacts_import.csv_files import csv_bytes

FILE = csv_bytes(
    "Email,Phone,SMS Consent At,SMS Consent Source",
    "ann@x.example,+14155550100,2026-03-01T10:15:00-08:00,web form /pricing",
    "bob@x.example,+442079460000,2026-03-02T09:00:00Z,signed order form",
    "cid@x.example,+14155550101,,",
)


def test_the_service_stores_the_consent_time_in_utc_and_its_source(organization):
    report = import_contacts(organization, "Texts", FILE, filename="leads.csv", actor="alice")

    assert report.ok, report.errors
    ann, bob, cid = (Contact.objects.get(email=e) for e in ("ann@x.example", "bob@x.example", "cid@x.example"))
    assert ann.sms_consent_at == datetime(2026, 3, 1, 18, 15, tzinfo=UTC)
    assert ann.sms_consent_source == "web form /pricing"
    assert ann.has_sms_consent
    assert bob.sms_consent_at == datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert bob.has_sms_consent
    assert (cid.sms_consent_at, cid.sms_consent_source) == (None, "")
    assert not cid.has_sms_consent


def test_the_api_import_records_the_consent(api_client, organization):
    upload = SimpleUploadedFile("leads.csv", FILE, content_type="text/csv")

    response = api_client.post("/api/contacts/import", {"file": upload, "list": "Texts"}, format="multipart")

    assert response.status_code == 201, response.content
    ann = Contact.objects.get(email="ann@x.example")
    assert ann.sms_consent_at == datetime(2026, 3, 1, 10, 15, tzinfo=timezone(timedelta(hours=-8)))
    assert ann.sms_consent_source == "web form /pricing"


def test_the_admin_import_records_the_consent(admin_client, organization):
    contact_list = ContactList.objects.create(organization=organization, name="Texts")
    url = reverse("admin:campaigns_contactlist_import_contacts", args=[contact_list.pk])

    response = admin_client.post(url, {"file": SimpleUploadedFile("leads.csv", FILE)})

    assert response.status_code == 200
    assert Contact.objects.get(email="bob@x.example").sms_consent_source == "signed order form"
    assert set(contact_list.contacts.filter(sms_consent_at__isnull=False).values_list("email", flat=True)) == {
        "ann@x.example", "bob@x.example"}


def test_an_existing_contact_keeps_its_consent_as_it_was(organization):
    Contact.objects.create(organization=organization, email="ann@x.example", phone="+14155550100")

    report = import_contacts(organization, "Texts", FILE, filename="leads.csv", actor="alice")

    # A CSV never overwrites a known contact (contacts.md): consent given later is recorded through the API/admin.
    assert report.existing == 1
    assert not Contact.objects.get(email="ann@x.example").has_sms_consent
