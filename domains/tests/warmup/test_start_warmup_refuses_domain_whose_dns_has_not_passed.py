import pytest

from domains.models import DnsNotPassed, Domain, DomainState, IllegalDomainTransition
from domains.provisioning import DomainResting, start_warmup
from domains.tests.warmup_fleet import make_domain
from inboxes.models import Inbox


def test_start_warmup_refuses_domain_whose_dns_has_not_passed(organization):
    domain = make_domain(organization, state=DomainState.DNS_PENDING, inbox_status=Inbox.Status.PENDING)
    Domain.objects.filter(pk=domain.pk).update(dns_ok=False)
    domain.refresh_from_db()

    with pytest.raises(DnsNotPassed, match="have not all passed"):
        start_warmup(domain, actor="ops:alice")

    domain.refresh_from_db()
    assert domain.state == DomainState.DNS_PENDING and not domain.transitions.exists()
    assert domain.inboxes.get().status == Inbox.Status.PENDING


def test_start_warmup_refuses_resting_burned_and_pending_domains(organization):
    for state, error, message in ((DomainState.RESTING, DomainResting, "is resting after an incident"),
                                  (DomainState.BURNED, IllegalDomainTransition, "cannot go from burned to warming"),
                                  (DomainState.PENDING, IllegalDomainTransition, "cannot go from pending to warming")):
        domain = make_domain(organization, state=state, inbox_status=Inbox.Status.PENDING)
        with pytest.raises(error, match=message):
            start_warmup(domain, actor="ops:alice")
        assert domain.inboxes.get().status == Inbox.Status.PENDING
