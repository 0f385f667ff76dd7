""""pause domain …" rests the domain at once (no rest_until, so only a person brings it back) and "resume domain …"
warms it up again; both are state-machine moves with a DomainTransition naming who, answered as a table, and the
command is recorded as an answered decision. A domain that is not sending cannot be paused."""

import pytest

from domains.models import DomainState, DomainTransition
from domains.tests.factories import create_domain
from missions.models import CommandDecision

pytestmark = pytest.mark.django_db


def command(api_client, text):
    return api_client.post("/api/rex/command", {"command": text}, format="json")


def test_pause_then_resume(api_client, organization):
    domain = create_domain(organization, "acme-mail.example", client="acme", state=DomainState.IN_USE)

    response = command(api_client, "stop domain ACME-mail.example")

    assert response.status_code == 200
    assert response.json()["answer"]["rows"] == [["acme-mail.example", "in_use", "resting"]]
    domain.refresh_from_db()
    assert (domain.state, domain.rest_until) == (DomainState.RESTING, None)
    trail = DomainTransition.objects.get(domain=domain)
    assert (trail.from_state, trail.to_state, trail.actor, trail.reason) == (
        "in_use", "resting", "alice", "paused by alice (command)")

    resumed = command(api_client, "resume domain acme-mail.example")
    assert resumed.status_code == 200
    domain.refresh_from_db()
    assert domain.state == DomainState.WARMING
    assert [r.intent for r in CommandDecision.objects.order_by("created_at")] == ["pause_domain", "resume_domain"]


def test_a_domain_that_is_not_sending_cannot_be_paused(api_client, organization):
    create_domain(organization, "new-mail.example", client="acme", state=DomainState.DNS_PENDING)

    response = command(api_client, "pause domain new-mail.example")

    assert response.status_code == 400
    assert response.json()["command"] == ["domain new-mail.example is dns_pending: only a warming, ready or in-use "
                                          "domain can be paused"]
    assert not DomainTransition.objects.exists()
