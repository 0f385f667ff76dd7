"""A three-email sequence, driven through time: the first email has its own subject, each follow-up goes from the
same inbox as "Re: <first subject>" with In-Reply-To / References naming the emails before it, business-day waits
fall in between, every email is DKIM-verified by the receiving side, and the enrollment ends completed with an
audit row per move."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Enrollment, EnrollmentTransition, SequenceMessage
from campaigns.services import start_campaign
from inboxes.tests.conftest import dkim_verifies

pytestmark = pytest.mark.django_db(transaction=True)

MONDAY_10 = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_follow_ups_thread_under_the_first_email_from_the_same_inbox_and_verify_with_dkim(sequence_world,
                                                                                         run_sequencer):
    world = sequence_world(inboxes=2)
    world.contact("ada@client.example", first_name="Ada", company="Lovelace Ltd")
    report = start_campaign(world.campaign, contact_list=world.list, actor="alice")
    assert report["enrolled"] == 1

    run_sequencer(MONDAY_10)                                   # step 1
    run_sequencer(MONDAY_10.replace(hour=11))                  # waiting: 1 business day, nothing due
    assert len(world.smtp.messages) == 1
    run_sequencer(datetime(2026, 12, 8, 10, 0, tzinfo=UTC))    # Tuesday: step 2
    run_sequencer(datetime(2026, 12, 9, 10, 0, tzinfo=UTC))    # Wednesday: still waiting (2 business days)
    assert len(world.smtp.messages) == 2
    run_sequencer(datetime(2026, 12, 10, 10, 0, tzinfo=UTC))   # Thursday: step 3

    first, second, third = (mail.message for mail in world.smtp.messages)
    assert "Ada" in first["Subject"] or "Lovelace" in first["Subject"]
    assert second["Subject"] == third["Subject"] == f"Re: {first['Subject']}"
    assert second["In-Reply-To"] == first["Message-ID"]
    assert third["In-Reply-To"] == second["Message-ID"]
    assert third["References"].split() == [first["Message-ID"], second["Message-ID"]]
    assert first["From"].addresses[0].addr_spec == second["From"].addresses[0].addr_spec == \
        third["From"].addresses[0].addr_spec
    assert "Just bumping this up, Ada." in second.get_body(preferencelist=("plain",)).get_content()

    enrollment = Enrollment.objects.get()
    for mail in world.smtp.messages:
        assert dkim_verifies(mail.raw, enrollment.inbox.domain)
    assert enrollment.state == "completed" and enrollment.emails_sent == 3
    moves = list(EnrollmentTransition.objects.filter(enrollment=enrollment).values_list("from_state", "to_state"))
    assert moves == [("", "active"), ("active", "waiting"), ("waiting", "active"), ("active", "waiting"),
                     ("waiting", "active"), ("active", "completed")]
    assert list(SequenceMessage.objects.values_list("step_index", flat=True).order_by("step_index")) == [0, 2, 4]
