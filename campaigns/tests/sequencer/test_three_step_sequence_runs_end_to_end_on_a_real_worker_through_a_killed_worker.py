"""End to end on a real Celery worker and a real SMTP server: a 3-step sequence (email, 1 business day, email,
1 business day, email) to 10 contacts in two time zones with a 09:00-17:00 weekday window, driven through a
simulated week by the sequencer's tick every two hours.

- each step leaves only inside the window on the contact's own clock;
- follow-ups thread under step 1 ("Re: …", In-Reply-To / References) from the inbox that sent step 1;
- no inbox passes its cap;
- a worker SIGKILLed while it sends (the server holds its answer to DATA) sends nothing twice once a new worker
  takes over (the claim runs out, the next tick claims again, the stored keys answer);
- every email is DKIM-verified by the receiving side with the key its domain publishes.
"""

from __future__ import annotations

import signal
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings

from campaigns import sequencer
from campaigns.models import Enrollment, SequenceMessage
from campaigns.services import start_campaign
from conftest import wait_for
from inboxes.models import Inbox, InboxDay, OutboundMessage
from inboxes.tests.conftest import dkim_verifies

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STEPS = [
    ("email", [("A", "Hello {{first_name|there}}", "Hi {{first_name|there}}, {quick|short} question."),
               ("B", "{{company|Your team}}?", "Hello {{first_name|there}}, a question about {{company|your team}}.")]),
    ("wait", 1),
    ("email", [("A", "", "Following up, {{first_name|there}}.")]),
    ("wait", 1),
    ("email", [("A", "", "Last one from me.")]),
]
ZONES = {"Europe/Berlin": 5, "America/New_York": 5}
MONDAY_6_UTC = datetime(2026, 12, 7, 6, 0, tzinfo=UTC)


def settle(timeout: float = 60) -> None:
    """Wait until the worker has finished every send the last tick handed out."""
    wait_for(lambda: not Enrollment.objects.filter(claimed_until__isnull=False).exists(), timeout,
             "the worker to finish the claimed sends")


def test_three_step_sequence_runs_end_to_end_on_a_real_worker_through_a_killed_worker(sequence_world,
                                                                                      start_worker):
    world = sequence_world(inboxes=2, daily_cap=20, steps=STEPS)
    n = 0
    for zone, count in ZONES.items():
        for _ in range(count):
            world.contact(f"p{n}@client.example", first_name=f"P{n}", company=f"Co {n}", timezone=zone)
            n += 1
    assert start_campaign(world.campaign, contact_list=world.list)["enrolled"] == 10
    env = {"REX_PUBLIC_BASE_URL": settings.REX_PUBLIC_BASE_URL, "REX_MAIL_SINK": "", "REX_SMTP_CA_FILE": "",
           "SENDGRID_API_KEY": ""}
    worker = start_worker(**env)

    # Monday 08:00 UTC is 09:00 in Berlin: the server answers DATA 3 s late and the worker is killed mid-send.
    world.smtp.controller.handler.data_delay = 3
    now = MONDAY_6_UTC + timedelta(hours=2)
    sequencer.tick(now)
    wait_for(lambda: len(world.smtp.messages) >= 1, 30, "the first email to reach the server")
    worker.kill(signal.SIGKILL)
    world.smtp.controller.handler.data_delay = 0
    killed_at_count = len(world.smtp.messages)
    # The server had the message, the worker died before hearing so: its outcome is unknown, never resent.
    assert OutboundMessage.objects.filter(status=OutboundMessage.Status.SENDING).exists()
    worker = start_worker(**env)
    # The killed worker's claims run out; the next tick claims those enrollments again.
    now += timedelta(seconds=settings.REX_SEQUENCER_CLAIM_SECONDS + 1)
    Enrollment.objects.filter(claimed_until__isnull=False).update(claimed_until=now)
    sequencer.tick(now)
    settle()
    assert len(world.smtp.messages) >= killed_at_count

    end = MONDAY_6_UTC + timedelta(days=5)
    while now < end:
        now += timedelta(hours=2)
        sequencer.tick(now)
        settle()
    worker.stop()

    # Every contact got its three emails, once each.
    by_recipient: dict[str, list] = defaultdict(list)
    for mail in world.smtp.messages:
        by_recipient[mail.rcpt_tos[0]].append(mail)
    assert len(by_recipient) == 10 and all(len(mails) == 3 for mails in by_recipient.values()), {
        k: len(v) for k, v in by_recipient.items()}
    assert Enrollment.objects.filter(state="completed").count() == 10

    domains = {inbox.address: inbox.domain for inbox in Inbox.objects.select_related("domain")}
    for mails in by_recipient.values():
        first, second, third = (m.message for m in mails)
        assert second["Subject"] == third["Subject"] == f"Re: {first['Subject']}"
        assert second["In-Reply-To"] == first["Message-ID"] and third["In-Reply-To"] == second["Message-ID"]
        assert third["References"].split() == [first["Message-ID"], second["Message-ID"]]
        senders = {m["From"].addresses[0].addr_spec for m in (first, second, third)}
        assert len(senders) == 1
        for mail in mails:
            assert dkim_verifies(mail.raw, domains[mail.message["From"].addresses[0].addr_spec])

    # Each step went inside the window on the contact's clock, a business day or more after the one before.
    for record in SequenceMessage.objects.select_related("enrollment__contact"):
        local = record.scheduled_at.astimezone(ZoneInfo(record.enrollment.contact.timezone))
        assert local.weekday() < 5 and 9 <= local.hour < 17, (record.enrollment.contact.email, local)
    for enrollment in Enrollment.objects.all():
        days = sorted(r.scheduled_at for r in enrollment.messages.all())
        assert days[1] - days[0] >= timedelta(hours=20) and days[2] - days[1] >= timedelta(hours=20)

    # No cap passed.
    for day in InboxDay.objects.select_related("inbox"):
        assert day.sent <= day.inbox.daily_cap
