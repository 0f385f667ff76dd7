"""End to end: the local provider writes DnsRecord rows, REX's DNS server serves them, the check passes."""

import pytest

from domains.dns import check_domain
from domains.dns_provider import LocalDnsProvider, get_provider
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.models import Domain, DomainPool


@pytest.mark.django_db(transaction=True)  # the server's threads read committed rows with their own connections
def test_locally_published_domain_passes_the_dns_check(organization, settings):
    settings.REX_DNS_PROVIDER = "local"
    pool = DomainPool.objects.create(organization=organization, name="Acme main")
    domain = Domain.objects.create(organization=organization, pool=pool, name="acme-1.example", state="dns_pending")
    provider = get_provider()
    assert isinstance(provider, LocalDnsProvider)

    provider.publish(domain)
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as server:
        check = check_domain(domain, nameservers=[server.nameserver])

    assert check.passed, check.results
    assert check.dmarc_policy == "quarantine"
    assert check.results["spf"]["records"] == [f"v=spf1 include:{settings.REX_SPF_INCLUDE} -all"]
    assert check.results["dkim"]["detail"] == "selector rex: RSA 2048-bit key"
    assert Domain.objects.get(pk=domain.pk).dns_ok is True


@pytest.mark.django_db(transaction=True)
def test_unpublished_domain_fails_the_dns_check(organization):
    pool = DomainPool.objects.create(organization=organization, name="Acme main")
    domain = Domain.objects.create(organization=organization, pool=pool, name="acme-1.example")
    provider = LocalDnsProvider()
    provider.publish(domain)
    provider.unpublish(domain)

    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as server:
        check = check_domain(domain, nameservers=[server.nameserver])

    assert not check.passed
    # The domain itself is still a zone the server knows: its names answer NOERROR, just without records.
    assert check.results["mx"]["detail"].startswith("acme-1.example has no MX record")
    assert "_dmarc.acme-1.example does not exist (NXDOMAIN)" in check.results["dmarc"]["detail"]
