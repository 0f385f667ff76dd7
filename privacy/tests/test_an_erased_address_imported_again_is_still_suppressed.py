"""After erasure nothing readable is left of the person, yet the hashed suppression still holds: a CSV that brings
the address back imports it as suppressed, enrolling it is refused, and a send to it is stopped before SMTP."""

from __future__ import annotations

import io

from django.core.management import call_command

from campaigns.contact_import import import_contacts
from campaigns.models import Campaign, ContactList
from campaigns.services import enroll
from campaigns.tests.conftest import build_sequence
from inboxes.models import OutboundMessage
from inboxes.sending import send_email


def _erase(email: str) -> None:
    call_command("rex_erase_contact", email, stdout=io.StringIO())


def test_a_reimported_erased_address_is_counted_as_suppressed_and_never_enrolled(jane, organization):
    _erase(jane.email)
    csv = f"email,first_name,phone\n{jane.email.upper()},Jane,{jane.phone}\nnew@client.example,Neil,\n"
    report = import_contacts(organization, "cfo-uk", csv.encode(), filename="again.csv", actor="alice")
    assert (report.created, report.suppressed) == (2, 1)

    campaign = Campaign.objects.create(organization=organization, name="Autumn", slug="autumn",
                                       sequence=build_sequence(organization))
    contacts = ContactList.objects.get(organization=organization, slug=report.list).contacts.all()
    result = enroll(campaign, contacts)
    assert (result.suppressed, result.enrolled) == (1, 1)


def test_a_reimported_erased_phone_alone_is_suppressed(jane, organization):
    _erase(jane.email)
    csv = f"email,phone\nsomeone.else@client.example,{jane.phone}\n"
    report = import_contacts(organization, "cfo-uk", csv.encode(), filename="again.csv", actor="alice")
    assert report.suppressed == 1


def test_a_send_to_an_erased_address_is_refused_before_smtp(jane, sender, make_inbox, smtp_server):
    _erase(jane.email)
    server = smtp_server()
    message = send_email(organization=sender, inbox=make_inbox(smtp_port=server.port), to=jane.email.upper(),
                         subject="Hello again", body="Hi", idempotency_key="after-erasure")
    assert message.status == OutboundMessage.Status.SUPPRESSED
    assert server.messages == []
