"""The domain rules plan every param their agents accept that people say: inboxes per domain when provisioning,
the pool to take domains from when assigning — and the missions are queued with them."""

from datetime import date

import pytest

from missions.decision import decide
from missions.models import Mission
from missions.services import CommandRejected

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("text, mission_type, params", [
    ("warm up 2 new domains for acme with 4 inboxes each", "provision_domains",
     {"count": 2, "client": "acme", "warmup": True, "inboxes_per_domain": 4}),
    ("provision three domains for 'Acme Corp' with two inboxes per domain", "provision_domains",
     {"count": 3, "client": "Acme Corp", "warmup": True, "inboxes_per_domain": 2}),
    ("warm up a new domain for globex with one inbox", "provision_domains",
     {"count": 1, "client": "globex", "warmup": True, "inboxes_per_domain": 1}),
    ("assign 2 domains to campaign spring-launch from pool eu-senders", "assign_domains",
     {"count": 2, "campaign": "spring-launch", "pool": "eu-senders"}),
    ("assign one domain to the campaign x from the domain pool main", "assign_domains",
     {"count": 1, "campaign": "x", "pool": "main"}),
])
def test_the_rules_read_the_optional_params(organization, text, mission_type, params):
    decision = decide({"command": text}, organization=organization, today=TODAY)

    assert decision.layer == "rules"
    assert [(spec.type, spec.params) for spec in decision.missions] == [(mission_type, params)]


def test_the_canonical_reading_names_the_optional_params(organization):
    decision = decide({"command": "warm up 2 new domains for acme with 4 inboxes each"}, organization=organization,
                      today=TODAY)

    assert decision.summary.endswith("→ provision_domains(count=2, client='acme', warmup=True, inboxes_per_domain=4)")


def test_too_many_inboxes_is_refused_with_the_agents_own_range(organization):
    with pytest.raises(CommandRejected) as refused:
        decide({"command": "warm up 2 new domains for acme with 11 inboxes each"}, organization=organization,
               today=TODAY)

    [error] = refused.value.errors["command"]
    assert error.startswith("understood as 'warm up 2 new domains for acme with 11 inboxes each', but ")
    assert "inboxes_per_domain: Input should be less than or equal to 10" in error


def test_the_planned_params_reach_the_queued_mission(acme_pool, api_client):
    response = api_client.post("/api/rex/command", {"command": "warm up 2 new domains for acme with 4 inboxes each"},
                               format="json")

    assert response.status_code == 201, response.data
    mission = Mission.objects.get()
    assert mission.params == {"count": 2, "client": "acme", "warmup": True, "inboxes_per_domain": 4}
