from __future__ import annotations

from campaigns.contact_import import import_contacts
from campaigns.models import Contact
from campaigns.tests.contacts_import.csv_files import csv_bytes
from inboxes.models import Suppression
from tenants.models import Organization


def test_suppressed_email_or_phone_is_imported_but_counted(organization):
    Suppression.objects.create(organization=organization, email="gone@x.example", reason=Suppression.Reason.UNSUBSCRIBE)
    Suppression.objects.create(organization=organization, phone="+14155550100", reason=Suppression.Reason.SMS_STOP)
    other = Organization.objects.create(name="Globex", slug="globex")
    Suppression.objects.create(organization=other, email="ann@x.example", reason=Suppression.Reason.UNSUBSCRIBE)
    data = csv_bytes("email,phone", "GONE@x.example,", "texted@x.example,+1 415 555 0100", "ann@x.example,")

    report = import_contacts(organization, "l", data, filename="f.csv", actor="a")

    assert (report.created, report.suppressed) == (3, 2)  # another organization's suppression is not ours
    assert Contact.objects.filter(organization=organization).count() == 3
    assert "2 suppressed (kept, never sent to)" in report.summary()
