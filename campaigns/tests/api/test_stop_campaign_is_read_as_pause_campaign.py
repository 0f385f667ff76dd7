""""stop campaign spring-launch" (the dashboard's wording) plans the pause_campaign mission, like "pause campaign":
a campaign's pause is a mission of its own agent, audited in its events and log."""

from datetime import date

import pytest

from missions.decision import decide

pytestmark = pytest.mark.django_db


def test_stop_campaign_plans_a_pause(organization):
    decision = decide({"command": "stop the campaign spring-launch"}, organization=organization, today=date(2026, 12, 2))

    assert (decision.layer, decision.intent) == ("rules", "pause_campaign")
    assert [(spec.type, spec.params) for spec in decision.missions] == [("pause_campaign", {"campaign": "spring-launch"})]
