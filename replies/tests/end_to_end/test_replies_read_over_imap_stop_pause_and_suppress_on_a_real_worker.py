"""End to end on a real Celery worker, a real SMTP server and a real Dovecot: a 3-step sequence to 10 contacts.
Step 1 goes to all; then an interested reply, an out-of-office with a return date, an unsubscribe request and a
hard bounce arrive in the sending inbox's mailbox. The worker reads them over IMAP (beat's poll fan-out),
triages, matches and acts on them. After the ticks, step 2 goes to exactly the 6 others; the out-of-office contact
gets it only one business day after its return date; the unsubscribed and bounced contacts never get mail again."""

from __future__ import annotations

import email.policy
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid

import pytest
from django.conf import settings

from campaigns import sequencer
from campaigns.models import Enrollment
from campaigns.services import start_campaign
from conftest import wait_for
from inboxes.models import Inbox, OutboundMessage
from inboxes.suppression import is_suppressed
from replies.models import InboundMessage
from rex_project.celery import CONTROL_QUEUE
from rex_project.celery import app as celery_app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = [
    ("email", [("A", "Quick question, {{first_name|there}}", "Hi {{first_name|there}}, worth a chat?")]),
    ("wait", 1),
    ("email", [("A", "", "Following up, {{first_name|there}}.")]),
    ("wait", 1),
    ("email", [("A", "", "Last one from me.")]),
]
MONDAY = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def answer(contact_email: str, first: OutboundMessage, body: str, *, subject: str | None = None,
           headers: dict[str, str] | None = None) -> bytes:
    mail = EmailMessage()
    mail["From"] = contact_email
    mail["To"] = first.inbox.address
    mail["Subject"] = subject or f"Re: {first.subject}"
    mail["Date"] = "Mon, 07 Dec 2026 12:00:00 +0000"
    mail["Message-ID"] = make_msgid(domain="client.example")
    mail["In-Reply-To"] = first.message_id
    mail["References"] = first.message_id
    for name, value in (headers or {}).items():
        mail[name] = value
    mail.set_content(body + f"\n\nOn Mon, 7 Dec 2026, {first.inbox.address} wrote:\n> Worth a chat?\n")
    return mail.as_bytes(policy=email.policy.SMTP)


def hard_bounce(first: OutboundMessage) -> bytes:
    boundary = "=_dsn_e2e"
    text = f"""Return-Path: <>
From: MAILER-DAEMON@mx.client.example (Mail Delivery System)
To: {first.inbox.address}
Subject: Undelivered Mail Returned to Sender
Date: Mon, 07 Dec 2026 10:05:00 +0000
Message-ID: {make_msgid(domain="mx.client.example")}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="{boundary}"

--{boundary}
Content-Type: text/plain; charset=utf-8

This is the mail system at host mx.client.example.
Your message could not be delivered to one or more recipients.

<{first.to_address}>: host mx.client.example said: 550 5.1.1 User unknown

--{boundary}
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.client.example

Final-Recipient: rfc822; {first.to_address}
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 <{first.to_address}>: Recipient address rejected: User unknown

--{boundary}
Content-Type: text/rfc822-headers

From: {first.inbox.address}
To: {first.to_address}
Subject: {first.subject}
Message-ID: {first.message_id}

--{boundary}--
"""
    return text.replace("\n", "\r\n").encode()


def settle() -> None:
    wait_for(lambda: not Enrollment.objects.filter(claimed_until__isnull=False).exists(), 60,
             "the worker to finish the claimed sends")


def recipients_since(world, count: int) -> list[str]:
    return sorted(m.rcpt_tos[0] for m in world.smtp.messages[count:])


def test_replies_read_over_imap_stop_pause_and_suppress_on_a_real_worker(sequence_world, dovecot, start_worker):
    world = sequence_world(steps=STEPS)
    inbox = world.inboxes[0]
    user = f"e2e{inbox.pk}x{int(datetime.now().timestamp())}"
    dovecot.add_user(user, "imap-secret")
    Inbox.objects.filter(pk=inbox.pk).update(imap_host=dovecot.host, imap_port=dovecot.port, imap_security="none",
                                             imap_username=user)
    inbox.refresh_from_db()
    inbox.set_password("imap-secret")
    inbox.save(update_fields=["password_encrypted"])
    people = [world.contact(f"p{n}@client.example", first_name=f"P{n}") for n in range(10)]
    assert start_campaign(world.campaign, contact_list=world.list)["enrolled"] == 10
    # The inbox now has a password (its IMAP login, shared with SMTP): the test server takes mail as the sink does.
    worker = start_worker(REX_PUBLIC_BASE_URL=settings.REX_PUBLIC_BASE_URL, REX_MAIL_SINK=f"127.0.0.1:{world.smtp.port}",
                          REX_SMTP_CA_FILE="",
                          SENDGRID_API_KEY="")

    sequencer.tick(MONDAY)
    settle()
    assert len(world.smtp.messages) == 10
    first = {m.to_address: m for m in OutboundMessage.objects.select_related("inbox")}
    keen, away, leaver, dead = (p.email for p in people[:4])
    dovecot.append(user, answer(keen, first[keen], "Sounds good, let's talk. Tuesday at 3pm works."))
    dovecot.append(user, answer(away, first[away], "I am out of the office until 10 December 2026 with limited "
                                "access to email.", subject=f"Automatic reply: {first[away].subject}",
                                headers={"Auto-Submitted": "auto-replied"}))
    dovecot.append(user, answer(leaver, first[leaver], "Please remove me from your list."))
    dovecot.append(user, hard_bounce(first[dead]))

    celery_app.send_task("replies.poll_inboxes", queue=CONTROL_QUEUE)
    wait_for(lambda: InboundMessage.objects.filter(acted_at__isnull=False).count() == 4, 60,
             "the worker to read, triage and act on the 4 messages")
    categories = dict(InboundMessage.objects.values_list("from_address", "category"))
    assert categories[keen] == "interested" and categories[away] == "out_of_office"
    assert categories[leaver] == "unsubscribe"
    assert sorted(categories.values()).count("bounce") == 1
    states = dict(Enrollment.objects.values_list("contact__email", "state"))
    assert (states[keen], states[away], states[leaver], states[dead]) == ("replied", "paused", "unsubscribed",
                                                                          "bounced")
    assert is_suppressed(world.organization, email=leaver) and is_suppressed(world.organization, email=dead)

    sent = len(world.smtp.messages)
    sequencer.tick(MONDAY + timedelta(days=1))  # Tuesday: step 2
    settle()
    assert recipients_since(world, sent) == sorted(p.email for p in people[4:])

    sent = len(world.smtp.messages)
    sequencer.tick(datetime(2026, 12, 10, 10, 0, tzinfo=UTC))  # Thursday: step 3 for the six; P1 still away
    settle()
    assert recipients_since(world, sent) == sorted(p.email for p in people[4:])

    # "Out of the office until 10 December": back on Friday the 11th; the sequence waits one business day more.
    assert InboundMessage.objects.get(from_address=away).details["return_date"] == "2026-12-11"
    sent = len(world.smtp.messages)
    sequencer.tick(datetime(2026, 12, 11, 10, 0, tzinfo=UTC))  # Friday: nothing for P1 yet
    settle()
    assert recipients_since(world, sent) == []
    sequencer.tick(datetime(2026, 12, 14, 10, 0, tzinfo=UTC))  # Monday: P1 resumes with step 2
    settle()
    assert recipients_since(world, sent) == [away]
    worker.stop()

    for silent in (keen, leaver, dead):
        assert sum(1 for m in world.smtp.messages if m.rcpt_tos == [silent]) == 1
