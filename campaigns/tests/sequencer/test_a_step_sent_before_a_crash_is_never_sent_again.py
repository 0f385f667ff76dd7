"""A worker that sent a step and died before moving the enrollment on: its claim runs out, the next tick claims
the enrollment again, the send task finds the step's stored key, sends nothing, and moves on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.conf import settings

from campaigns.models import Enrollment
from campaigns.sequencer import send_claimed, sequence_key
from campaigns.services import start_campaign
from inboxes.models import OutboundMessage

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_step_sent_before_a_crash_is_never_sent_again(sequence_world, run_sequencer, monkeypatch):
    world = sequence_world()
    world.contact("cal@client.example", first_name="Cal")
    start_campaign(world.campaign, contact_list=world.list)
    now = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    run_sequencer(now)
    enrollment = Enrollment.objects.get()
    # As if the worker died after the provider took step 1 and before the enrollment moved on.
    Enrollment.objects.filter(pk=enrollment.pk).update(state="active", step_index=0, next_due_at=now,
                                                       claimed_until=now + timedelta(minutes=10), emails_sent=0,
                                                       thread_message_ids="", thread_subject="")
    assert send_claimed([enrollment.pk], now).as_dict() == {"sent": 1}  # the claim holder itself, re-delivered
    later = now + timedelta(seconds=settings.REX_SEQUENCER_CLAIM_SECONDS + 1)
    Enrollment.objects.filter(pk=enrollment.pk).update(state="active", step_index=0, next_due_at=now,
                                                       claimed_until=now, emails_sent=0)
    run_sequencer(later)  # the claim ran out: claimed again

    assert len(world.smtp.messages) == 1
    assert OutboundMessage.objects.filter(idempotency_key=sequence_key(enrollment.pk, 0)).count() == 1
    enrollment.refresh_from_db()
    assert enrollment.state == "waiting" and enrollment.step_index == 2
