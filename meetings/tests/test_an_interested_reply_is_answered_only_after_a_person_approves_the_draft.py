"""With the campaign's approval setting on, the book-meeting agent (run by the real mission runner) drafts the
answer to an interested reply, with the booking link and three free slots in the contact's zone, and sends
nothing: the draft waits in the approval queue. A person approves one draft with an edited text through the API,
and exactly that text goes out, threaded under the reply, once however often they click; a rejected draft is never
sent and cannot be approved afterwards."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from campaigns.services import start_campaign
from inboxes.models import OutboundMessage
from meetings.models import MeetingDraft
from missions import runner
from missions.models import Mission
from replies.actions import act_on
from replies.matching import match_message

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_interested_reply_is_answered_only_after_a_person_approves_the_draft(meeting_world, run_sequencer,
                                                                               inbound, api_client):
    world = meeting_world(approval_required=True)
    people = [world.world.contact(email, first_name=name, timezone="America/Chicago")
              for email, name in (("keen@client.example", "Kim"), ("cool@client.example", "Cory"))]
    start_campaign(world.campaign, contact_list=world.world.list)
    run_sequencer(datetime(2026, 12, 7, 16, 0, tzinfo=UTC))  # 10:00 in Chicago: inside the send window
    smtp = world.world.smtp
    assert len(smtp.messages) == 2
    replies = []
    for person in people:
        first = OutboundMessage.objects.get(to_address=person.email)
        reply = inbound(world.world, f"{person.first_name} <{person.email}>", "Sounds great, let's talk.",
                        category="interested", in_reply_to=first.message_id, subject=f"Re: {first.subject}")
        act_on(reply, match_message(reply))
        replies.append(reply)
    for mission in Mission.objects.filter(type="book_meeting"):
        runner.run_claimed(str(mission.pk), worker="test")
        mission.refresh_from_db()
        assert mission.status == "succeeded", mission.error
    assert len(smtp.messages) == 2  # nothing sent without approval

    listed = api_client.get("/api/meetings/drafts/?status=pending").json()
    assert listed["count"] == 2
    keen = MeetingDraft.objects.get(to_address="keen@client.example")
    assert keen.body.count("(America/Chicago)") == 3 and "/book/" in keen.body and len(keen.slots) == 3

    edited = keen.body.replace("Thanks for getting back to me", "Great to hear from you")
    for _ in range(2):  # a double click sends once
        answer = api_client.post(f"/api/meetings/drafts/{keen.pk}/approve", {"body": edited}, format="json")
        assert answer.status_code == 200 and answer.json()["status"] == "sent"
    assert len(smtp.messages) == 3
    sent = smtp.messages[2]
    assert sent.rcpt_tos == ["keen@client.example"] and "Great to hear from you" in sent.text_body()
    assert sent.message["In-Reply-To"] == replies[0].message_id

    cool = MeetingDraft.objects.get(to_address="cool@client.example")
    rejected = api_client.post(f"/api/meetings/drafts/{cool.pk}/reject")
    assert rejected.status_code == 200 and rejected.json()["status"] == "rejected"
    late = api_client.post(f"/api/meetings/drafts/{cool.pk}/approve", {}, format="json")
    assert late.status_code == 409 and "rejected" in late.json()["detail"]
    assert len(smtp.messages) == 3
    assert api_client.post(f"/api/meetings/drafts/{keen.pk}/reject").status_code == 409
