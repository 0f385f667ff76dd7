""""pause inbox …" and "resume inbox …" act at once, without a mission: the inbox stops (or starts) sending in the
request, the answer is a table of what changed, and the command is recorded (who, what) as an answered decision in
the same transaction. An ops pause is never lifted by the warmup engine (no paused_at). A paused inbox cannot be
paused again; an unknown address suggests the closest one."""

import pytest

from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox
from missions.models import CommandDecision, Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(organization):
    [inbox] = add_inboxes(create_domain(organization, "acme-mail.example", client="acme"), local_part="sales",
                          daily_cap=40, warmup_limit=40)
    return inbox


def command(api_client, text):
    return api_client.post("/api/rex/command", {"command": text}, format="json")


def test_pause_then_resume(api_client, user, inbox):
    response = command(api_client, "pause inbox Sales@acme-mail.example")

    assert response.status_code == 200
    body = response.json()
    assert body["decision"] == {"layer": "rules", "intent": "pause_inbox", "outcome": "answered",
                                "summary": "pause inbox Sales@acme-mail.example → pause inbox"}
    assert body["answer"]["kind"] == "table"
    assert body["answer"]["rows"] == [["sales@acme-mail.example", "active", "paused"]]
    inbox.refresh_from_db()
    assert (inbox.status, inbox.paused_at, inbox.pause_reason) == ("paused", None, "paused by alice (command)")
    record = CommandDecision.objects.get()
    assert (record.requested_by, record.intent, record.outcome) == (user, "pause_inbox", "answered")
    assert not Mission.objects.exists()

    again = command(api_client, "pause inbox sales@acme-mail.example")
    assert again.status_code == 400
    assert again.json()["command"] == ["inbox sales@acme-mail.example is paused: only a pending, warming or active "
                                       "inbox can be paused"]

    resumed = command(api_client, "resume inbox sales@acme-mail.example")
    assert resumed.status_code == 200
    assert resumed.json()["answer"]["rows"] == [["sales@acme-mail.example", "paused", "active"]]
    inbox.refresh_from_db()
    assert (inbox.status, inbox.pause_reason) == (Inbox.Status.ACTIVE, "")


def test_an_unknown_address_suggests_the_closest(api_client, inbox):
    response = command(api_client, "pause inbox sale@acme-mail.example")

    assert response.status_code == 400
    assert response.json()["command"] == ["no inbox called 'sale@acme-mail.example' in your organization; did you mean "
                                          "'pause inbox sales@acme-mail.example'?"]
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.ACTIVE
    assert CommandDecision.objects.get().outcome == "rejected"
