"""An interested reply stops the sequence and tells the organization's owners by email (after commit), with a link
to the reply on the inbox page."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.core import mail

from campaigns.models import Enrollment
from campaigns.services import start_campaign
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
    assert done[-1] == "told olive@acme-outbound.example"
    [notice] = mail.outbox
    assert notice.to == ["olive@acme-outbound.example"] and "keen@client.example" in notice.subject
    assert f"/inbox/?id={reply.pk}" in notice.body and "Tuesday at 3" in notice.body
