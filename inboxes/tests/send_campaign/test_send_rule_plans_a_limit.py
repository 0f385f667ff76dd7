"""The send rule plans the send agent's ``limit`` ("… limit 50", "… at most 50 emails"), and the mission is queued
with it; without one, the campaign goes to the whole list as before."""

from datetime import date

import pytest

from campaigns.models import Campaign, ContactList
from missions.decision import decide
from missions.models import Mission

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("text, params", [
    ("send campaign X to list Y limit 50", {"campaign": "X", "list": "Y", "limit": 50}),
    ("send campaign spring-launch to list cfo-uk, at most 200 emails",
     {"campaign": "spring-launch", "list": "cfo-uk", "limit": 200}),
    ("launch the campaign 'Spring Launch' to the list 'CFOs UK' limited to ten",
     {"campaign": "Spring Launch", "list": "CFOs UK", "limit": 10}),
    ("send campaign X to list Y", {"campaign": "X", "list": "Y"}),
])
def test_the_send_rule_reads_the_limit(organization, text, params):
    decision = decide({"command": text}, organization=organization, today=TODAY)

    assert decision.layer == "rules" and decision.intent == "send_campaign"
    assert [(spec.type, spec.params) for spec in decision.missions] == [("send_campaign", params)]


def test_the_limit_reaches_the_queued_mission(api_client, organization):
    Campaign.objects.create(organization=organization, name="X")
    ContactList.objects.create(organization=organization, name="Y")
    response = api_client.post("/api/rex/command", {"command": "send campaign X to list Y limit 50"}, format="json")

    assert response.status_code == 201, response.data
    assert Mission.objects.get().params == {"campaign": "X", "list": "Y", "limit": 50}
    assert response.data["decision"]["summary"] == "send campaign X to list Y limit 50 → send_campaign(campaign='X', " \
                                                   "list='Y', limit=50)"
