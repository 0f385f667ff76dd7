"""An interested reply stops the sequence, tells the organization's owners by email (after commit) with a link to
the reply on the inbox page, and creates the follow-up the meetings app registered: a book_meeting mission for the
coming week that answers this reply, queued once however often the reply is processed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from campaigns.models import Enrollment
from campaigns.services import start_campaign
from missions.models import Mission
from replies.actions import act_on
from replies.matching import match_message
from tenants.models import Membership

pytestmark = pytest.mark.django_db(transaction=True)


def test_interested_reply_tells_the_owners_by_email(sequence_world, run_sequencer, inbound, django_user_model,
                                                    settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    world = sequence_world()
    owner = django_user_model.objects.create_user("olive", email="olive@acme-outbound.example", password="x")
    Membership.objects.create(user=owner, organization=world.organization, role=Membership.Role.OWNER)
    world.contact("keen@client.example", first_name="Kim")
    start_campaign(world.campaign, contact_list=world.list)
    run_sequencer(datetime(2026, 12, 7, 10, 0, tzinfo=UTC))
    reply = inbound(world, "Kim <keen@client.example>", "Sounds great, can you do Tuesday at 3?",
                    category="interested")
    done = act_on(reply, match_message(reply))

    assert Enrollment.objects.get().state == "replied"
    assert "told olive@acme-outbound.example" in done
    follow_up = Mission.objects.get(type="book_meeting")
    assert follow_up.status == "queued" and follow_up.params["attendee"] == "keen@client.example"
    assert follow_up.params["reply"] == reply.pk and follow_up.idempotency_key == f"reply-{reply.pk}-book-meeting"
    assert act_on(reply, match_message(reply)) == [] and Mission.objects.count() == 1
    [notice] = mail.outbox
    assert notice.to == ["olive@acme-outbound.example"] and "keen@client.example" in notice.subject
    assert f"/inbox/?id={reply.pk}" in notice.body and "Tuesday at 3" in notice.body
