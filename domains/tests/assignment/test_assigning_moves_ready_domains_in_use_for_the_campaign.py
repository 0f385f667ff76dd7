"""Assigning takes ready domains and moves them to in_use for the campaign, with an audit row for each move."""

from campaigns.assignment import assign_domains
from campaigns.models import Campaign
from domains.models import Domain, DomainState, DomainTransition
from domains.tests.assignment_helpers import pool, ready_domain


def test_assigned_domains_are_in_use_by_the_campaign_and_audited(organization):
    acme = pool(organization)
    ready_domain(acme, "acme-mail.example")
    ready_domain(acme, "acme-send.example")
    untouched = ready_domain(acme, "acme-warming.example", state=DomainState.WARMING)
    campaign = Campaign.named(organization, "Spring launch")

    assigned = assign_domains(organization, campaign=campaign, count=2, pool=acme, actor="alice")

    assert sorted(d.name for d in assigned) == ["acme-mail.example", "acme-send.example"]
    for domain in Domain.objects.filter(name__in=["acme-mail.example", "acme-send.example"]):
        assert domain.state == DomainState.IN_USE
        assert domain.campaign == campaign
        assert domain.assigned_at is not None
        audit = DomainTransition.objects.get(domain=domain)
        assert (audit.from_state, audit.to_state, audit.actor) == (DomainState.READY, DomainState.IN_USE, "alice")
        assert audit.reason == "assigned to campaign spring-launch"
    untouched.refresh_from_db()
    assert (untouched.state, untouched.campaign) == (DomainState.WARMING, None)
    assert list(campaign.domains.order_by("name").values_list("name", flat=True)) == [
        "acme-mail.example", "acme-send.example"]
