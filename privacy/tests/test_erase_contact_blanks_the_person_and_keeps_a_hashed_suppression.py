"""``manage.py rex_erase_contact EMAIL`` blanks the person's contact and messages, replaces every quote of their
address and phone by ``[erased]``, keeps the rows (and so the figures), stops their sequences, and leaves one
suppression per channel holding only the digests."""

from __future__ import annotations

import io

from django.core.management import call_command

from agents.models import AgentLog, LLMRequest
from campaigns.models import Contact, Enrollment
from inboxes.addresses import email_digest, phone_digest
from inboxes.models import OutboundMessage, Suppression
from inboxes.suppression import is_suppressed
from missions.models import Mission
from replies.models import InboundMessage


def test_erasure_blanks_the_person_and_keeps_the_rows(jane, organization):
    out = io.StringIO()
    call_command("rex_erase_contact", jane.email, "--actor", "dpo", stdout=out)
    assert out.getvalue().startswith(f"acme: erased {jane.email} (")

    contact = Contact.objects.get(pk=jane.contact.pk)
    assert (contact.email, contact.phone, contact.first_name, contact.last_name, contact.company) == ("",) * 5
    assert contact.custom_fields == {} and contact.llm_consent is False
    assert contact.source.startswith("erased on request")
    enrollment = Enrollment.objects.get(pk=jane.enrollment.pk)
    assert enrollment.state == "stopped" and enrollment.thread_subject == ""
    sent = OutboundMessage.objects.get(pk=jane.sent.pk)
    assert (sent.to_address, sent.subject, sent.status) == ("", "", "sent")  # still counted as a send
    reply = InboundMessage.objects.get(pk=jane.reply.pk)
    assert (bytes(reply.raw), reply.from_address, reply.body_text) == (b"", "", "")
    assert reply.category == "interested"  # the triage figures keep it
    assert AgentLog.objects.get(pk=jane.log.pk).payload == {"note": "sent to [erased] / [erased]"}
    llm = LLMRequest.objects.get(pk=jane.llm.pk)
    assert llm.pseudonyms == {"<EMAIL_1>": "[erased]", "<PHONE_1>": "[erased]"}
    assert llm.answer == "[erased] is interested"
    assert Mission.objects.get(pk=jane.mission.pk).result == {"sent_to": ["[erased]", "other@client.example"]}
    assert Contact.objects.get(pk=jane.referral.pk).custom_fields == {"referred_by": "[erased]"}


def test_the_suppression_survives_as_digests_only(jane, organization):
    call_command("rex_erase_contact", jane.email, stdout=io.StringIO())
    rows = Suppression.objects.filter(organization=organization)
    assert {(row.email, row.phone, row.reason) for row in rows} == {("", "", "erased")}
    assert {row.email_hash for row in rows} - {""} == {email_digest(jane.email)}
    assert {row.phone_hash for row in rows} - {""} == {phone_digest(jane.phone)}
    assert all(row.contact_id is None and row.erased_at is not None for row in rows)
    assert is_suppressed(organization, email=jane.email.upper())
    assert is_suppressed(organization, phone=jane.phone)


def test_an_earlier_suppression_keeps_its_reason_and_loses_its_plaintext(jane, organization):
    Suppression.objects.create(organization=organization, email=jane.email, reason="unsubscribe",
                               source=f"unsubscribe link of {jane.email}")
    call_command("rex_erase_contact", jane.email, stdout=io.StringIO())
    row = Suppression.objects.get(organization=organization, email_hash=email_digest(jane.email))
    assert (row.email, row.reason, row.source) == ("", "unsubscribe", "unsubscribe link of [erased]")


def test_the_erasure_is_audited_by_digest(jane, organization):
    call_command("rex_erase_contact", jane.email, "--actor", "dpo", stdout=io.StringIO())
    audit = AgentLog.objects.get(agent="privacy", action="erase_contact")
    assert audit.payload["email_sha256"] == email_digest(jane.email)
    assert audit.payload["actor"] == "dpo"
    assert audit.payload["rows"]["campaigns.Contact"] >= 1
