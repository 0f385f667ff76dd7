import pytest

from domains.dns import check_and_advance
from domains.models import DnsNotPassed, Domain, DomainState, DomainTransition


def test_domain_cannot_leave_dns_pending_before_dns_passes(make_domain):
    domain = make_domain("acme-1.example", state=DomainState.DNS_PENDING, dns_ok=False)

    with pytest.raises(DnsNotPassed, match="cannot leave dns_pending"):
        domain.transition(DomainState.WARMING, reason="start warmup")

    assert Domain.objects.get(pk=domain.pk).state == DomainState.DNS_PENDING
    assert not DomainTransition.objects.exists()


def test_domain_may_start_warming_once_its_dns_check_passed(dns_server, make_domain):
    domain = make_domain("acme-1.example", state=DomainState.DNS_PENDING)
    dns_server.configure_domain("acme-1.example", dkim="")
    assert check_and_advance(domain, actor="dns-agent") is False
    with pytest.raises(DnsNotPassed):
        domain.transition(DomainState.WARMING, reason="start warmup")

    dns_server.configure_domain("acme-1.example")
    ready = check_and_advance(domain, actor="dns-agent")

    assert ready is True
    assert Domain.objects.get(pk=domain.pk).state == DomainState.DNS_PENDING  # the warmup engine moves it, not us
    domain.transition(DomainState.WARMING, reason="start warmup")
    assert Domain.objects.get(pk=domain.pk).state == DomainState.WARMING


def test_check_and_advance_is_false_for_a_domain_no_longer_waiting_for_dns(dns_server, make_domain):
    domain = make_domain("acme-1.example", state=DomainState.READY)
    dns_server.configure_domain("acme-1.example")

    assert check_and_advance(domain) is False
    assert Domain.objects.get(pk=domain.pk).dns_ok is True
