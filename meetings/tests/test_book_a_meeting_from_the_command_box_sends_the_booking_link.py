""""book a meeting with kim@… next week" from the command box (POST /api/rex/command) becomes a book_meeting
mission; the agent writes to Kim in the campaign's thread (from its sticky inbox, under the emails sent so far)
with the booking link and slots of next week; an address REX has no campaign with fails with the reason."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from campaigns.services import start_campaign
from inboxes.models import OutboundMessage
from meetings.models import MeetingDraft
from missions import runner
from missions.models import Mission

pytestmark = pytest.mark.django_db(transaction=True)


def test_book_a_meeting_from_the_command_box_sends_the_booking_link(meeting_world, run_sequencer,
                                                                    api_client):
    world = meeting_world(approval_required=False)
    world.world.contact("kim@client.example", first_name="Kim")
    start_campaign(world.campaign, contact_list=world.world.list)
    run_sequencer(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    first = OutboundMessage.objects.get(to_address="kim@client.example")
    smtp = world.world.smtp

    answer = api_client.post("/api/rex/command", {"command": "book a meeting with kim@client.example next week"},
                             format="json")
    assert answer.status_code in (200, 201, 202), answer.json()
    mission = Mission.objects.get(type="book_meeting")
    today = date.today()
    monday = today + timedelta(days=7 - today.weekday())
    assert mission.params["window_start"] == monday.isoformat()
    runner.run_claimed(str(mission.pk), worker="test")
    mission.refresh_from_db()
    assert mission.status == "succeeded", mission.error

    draft = MeetingDraft.objects.get()
    assert draft.status == "sent" and len(draft.slots) == 3
    assert all(monday <= datetime.fromisoformat(s).date() <= monday + timedelta(days=5) for s in draft.slots)
    sent = smtp.messages[-1]
    assert sent.rcpt_tos == ["kim@client.example"] and "/book/" in sent.text_body()
    assert sent.message["In-Reply-To"] == first.message_id and sent.message["Subject"] == f"Re: {first.subject}"

    api_client.post("/api/rex/command", {"command": "book a meeting with stranger@else.example next week"},
                    format="json")
    stranger = Mission.objects.get(type="book_meeting", params__attendee="stranger@else.example")
    runner.run_claimed(str(stranger.pk), worker="test")
    stranger.refresh_from_db()
    assert stranger.status == "failed"
    assert stranger.error["message"] == "no contact stranger@else.example in this organization"
