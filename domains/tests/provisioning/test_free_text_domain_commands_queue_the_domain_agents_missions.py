"""Now that the domain agents exist, the command box's domain sentences are accepted (201) and queue their
missions: "warm up 5 new domains for acme" one provision_domains mission, "warm up domain …" a warmup mission,
"assign 2 domains to campaign …" an assign_domains mission."""

import pytest

from domains.tests.factories import create_domain
from missions.models import CommandDecision, Mission


def command(api_client, text: str):
    return api_client.post("/api/rex/command", {"command": text}, format="json")


def test_warm_up_new_domains_for_a_client_creates_one_provisioning_mission(acme_pool, api_client):
    response = command(api_client, "warm up 5 new domains for acme")

    assert response.status_code == 201, response.data
    mission = Mission.objects.get()
    assert response.data["id"] == str(mission.id)
    # It buys domains, and out of the box every purchase asks first (missions/tests/approvals).
    assert (mission.type, mission.status) == ("provision_domains", "awaiting_approval")
    assert mission.params == {"count": 5, "client": "acme", "warmup": True}
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.intent, decision.outcome) == ("rules", "provision_domains", "accepted")
    assert list(decision.missions.all()) == [mission]


@pytest.mark.parametrize(("text", "mission_type", "params"), [
    ("warm up domain foo.example", "warmup", {"domain": "foo.example"}),
    ("Warm up domain Mail-Acme.Example", "warmup", {"domain": "mail-acme.example"}),
    # The organization's only pool is the one a campaign without a client draws from.
    ("assign 2 domains to campaign x", "assign_domains", {"count": 2, "campaign": "x", "pool": "acme"}),
])
def test_domain_commands_are_accepted_and_queue_their_mission(acme_pool, api_client, text, mission_type, params):
    # The domains the commands name exist: names are resolved when a command is accepted.
    for name in ("foo.example", "mail-acme.example"):
        create_domain(acme_pool.organization, name, pool=acme_pool)
    response = command(api_client, text)

    assert response.status_code == 201, response.data
    mission = Mission.objects.get()
    assert (response.data["type"], response.data["status"]) == (mission_type, "queued")
    assert mission.params == params
    assert CommandDecision.objects.get().outcome == "accepted"


def test_the_same_provisioning_words_again_return_the_same_mission(acme_pool, api_client):
    first = command(api_client, "warm up 5 new domains for acme")
    second = command(api_client, "warm up 5 new domains for acme")

    assert (first.status_code, second.status_code) == (201, 200)
    assert second.data["id"] == first.data["id"]
    assert Mission.objects.count() == 1
