"""A warmup command for a domain the organization does not have (or another organization's) and a name that is
not a domain are refused at intake; a warmup mission for a domain that will never send again (burned, retired),
or one deleted since the command was accepted, fails on its first attempt with a message saying so, and changes
nothing."""

import pytest

from domains.models import Domain, DomainPool, DomainState
from domains.tests.agent_mission_helpers import run_attempt, submit
from missions.models import MissionStatus
from missions.services import CommandRejected, submit_mission
from tenants.models import Organization

pytestmark = pytest.mark.django_db(transaction=True)


def test_unknown_domain_is_refused_at_intake_with_a_clear_message(organization, make_domain):
    make_domain("ghost-mail.example")
    with pytest.raises(CommandRejected) as refused:
        submit(organization, "warmup", {"domain": "Ghost.Example."})

    assert refused.value.errors == {"params": {"domain": [
        "No domain named 'ghost.example'. Did you mean 'ghost-mail.example'?"]}}


def test_a_domain_deleted_after_the_command_was_accepted_fails_at_once(organization, make_domain):
    ghost = make_domain("ghost.example")
    mission = submit(organization, "warmup", {"domain": "Ghost.Example."})
    ghost.delete()

    assert run_attempt(mission) == "failed"

    assert (mission.status, mission.attempts) == (MissionStatus.FAILED, 1)
    assert mission.error["message"] == "no domain ghost.example in this organization's pools"
    assert mission.error["recoverable"] is False


def test_a_domain_of_another_organization_is_unknown_here(organization):
    globex = Organization.objects.create(name="Globex", slug="globex")
    pool = DomainPool.objects.create(organization=globex, name="Globex main")
    Domain.objects.create(organization=globex, pool=pool, name="globex-mail1.example", state=DomainState.DNS_PENDING)
    with pytest.raises(CommandRejected) as refused:
        submit(organization, "warmup", {"domain": "globex-mail1.example"})

    assert refused.value.errors == {"params": {"domain": ["No domain named 'globex-mail1.example'."]}}
    assert Domain.objects.get(name="globex-mail1.example").state == DomainState.DNS_PENDING


@pytest.mark.parametrize("state", [DomainState.BURNED, DomainState.RETIRED])
def test_a_domain_that_will_never_send_again_is_refused(organization, make_domain, state):
    domain = make_domain("acme-burnt.example", state=state, dns_ok=True)
    mission = submit(organization, "warmup", {"domain": "acme-burnt.example"})

    assert run_attempt(mission) == "failed"

    assert (mission.status, mission.attempts) == (MissionStatus.FAILED, 1)
    assert mission.error["message"] == f"domain acme-burnt.example is {state}; it will not be warmed again"
    domain.refresh_from_db()
    assert domain.state == state and not domain.transitions.exists()


def test_a_name_that_is_not_a_domain_is_refused_at_intake(organization):
    with pytest.raises(CommandRejected) as refused:
        submit_mission(organization, mission_type="warmup", params={"domain": "not a domain"})

    assert "is not a domain name" in str(refused.value.errors["params"]["domain"][0])
