"""The dashboard's example "triage replies" is carried out: the command becomes a triage_replies mission, and its
agent triages and acts on the organization's replies not handled yet (never another organization's), and reports
them by category with how many still wait for a person; the mission's status answers with those counts."""

import pytest
from django.db import transaction

from domains.tests.agent_mission_helpers import run_attempt
from domains.tests.factories import add_inboxes, create_domain
from missions.decision import do_command
from replies.models import InboundMessage
from tenants.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)

INTERESTED = (b"From: Jane Doe <jane@prospect.example>\r\nTo: sales@acme-mail.example\r\nSubject: Re: Quick question\r\n"
              b"Message-ID: <reply-1@prospect.example>\r\nDate: Wed, 02 Dec 2026 10:00:00 +0000\r\n\r\n"
              b"Yes, I am interested. Let's set up a call next week.\r\n")


def stored(organization, inbox):
    return InboundMessage.objects.create(organization=organization, inbox=inbox, raw=INTERESTED,
                                         from_address="jane@prospect.example", subject="Re: Quick question",
                                         new_text="Yes, I am interested. Let's set up a call next week.")


def test_triage_replies_triages_what_waits(organization):
    [inbox] = add_inboxes(create_domain(organization, "acme-mail.example", client="acme"), local_part="sales")
    waiting = stored(organization, inbox)
    other = Organization.objects.create(name="Other", slug="other")
    [their_inbox] = add_inboxes(create_domain(other, "other-mail.example", client="x"), local_part="rep")
    theirs = stored(other, their_inbox)

    with transaction.atomic():
        result = do_command({"command": "triage replies"}, organization=organization)
    [submission] = result.submissions
    assert submission.mission.type == "triage_replies"
    assert run_attempt(submission.mission) == "succeeded"

    mission = submission.mission
    assert mission.result == {"triaged": 1, "failed": 0, "categories": {"interested": 1}, "needs_review": 0}
    waiting.refresh_from_db()
    assert (waiting.category, waiting.acted_at is not None) == ("interested", True)
    theirs.refresh_from_db()
    assert (theirs.category, theirs.acted_at) == ("", None)

    status = do_command({"command": f"status of mission {str(mission.id)[:8]}"}, organization=organization)
    assert ["triaged", 1] in status.decision.answer["rows"]
    assert ["categories.interested", 1] in status.decision.answer["rows"]
