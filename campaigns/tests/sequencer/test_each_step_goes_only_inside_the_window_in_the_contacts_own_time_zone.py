"""A 09:00-17:00 weekday window read on each contact's clock: at 08:30 UTC on a Monday Berlin (09:30) is inside
and gets its email, New York (03:30) is not and is moved to its own 09:00 (14:00 UTC); a contact with no zone but
a UK phone number goes by London; nothing goes on a Saturday."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.models import Enrollment
from campaigns.services import start_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_step_goes_only_inside_the_window_in_the_contacts_own_time_zone(sequence_world, run_sequencer):
    world = sequence_world(zone="Asia/Tokyo")
    berlin = world.contact("berlin@client.example", first_name="Bea", timezone="Europe/Berlin")
    new_york = world.contact("ny@client.example", first_name="Ned", timezone="America/New_York")
    london = world.contact("uk@client.example", first_name="Lou", phone="+442079460000")
    start_campaign(world.campaign, contact_list=world.list)

    run_sequencer(datetime(2026, 12, 7, 8, 30, tzinfo=UTC))
    assert [m.rcpt_tos for m in world.smtp.messages] == [["berlin@client.example"]]
    waiting = {e.contact_id: e for e in Enrollment.objects.all()}
    assert waiting[new_york.pk].next_due_at == datetime(2026, 12, 7, 14, 0, tzinfo=UTC)
    assert waiting[london.pk].next_due_at == datetime(2026, 12, 7, 9, 0, tzinfo=UTC)

    run_sequencer(datetime(2026, 12, 7, 9, 0, tzinfo=UTC))
    run_sequencer(datetime(2026, 12, 7, 13, 59, tzinfo=UTC))
    assert sorted(m.rcpt_tos[0] for m in world.smtp.messages) == ["berlin@client.example", "uk@client.example"]
    run_sequencer(datetime(2026, 12, 7, 14, 0, tzinfo=UTC))
    assert len(world.smtp.messages) == 3
    assert Enrollment.objects.get(contact=berlin).state == "waiting"


def test_a_step_due_on_a_saturday_waits_for_monday_morning(sequence_world, run_sequencer):
    world = sequence_world()
    world.contact("sat@client.example", timezone="Europe/Paris")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(datetime(2026, 12, 12, 10, 0, tzinfo=UTC))  # Saturday
    assert world.smtp.messages == []
    assert Enrollment.objects.get().next_due_at == datetime(2026, 12, 14, 8, 0, tzinfo=UTC)  # Monday 09:00 Paris
