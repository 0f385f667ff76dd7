from domains.models import DnsCheck, Domain, DomainPool, DomainState
from tenants.models import Organization


def test_rex_dns_check_pending_checks_the_domains_waiting_for_dns(dns_server, make_domain, rex_dns_check):
    make_domain("acme-1.example", state=DomainState.DNS_PENDING)
    make_domain("acme-2.example", state=DomainState.READY)
    globex = Organization.objects.create(name="Globex", slug="globex")
    Domain.objects.create(organization=globex, pool=DomainPool.objects.create(organization=globex, name="g"),
                          name="globex-1.example", state=DomainState.DNS_PENDING)
    dns_server.configure_domain("acme-1.example")

    assert rex_dns_check("--pending", "--org", "acme").splitlines() == ["PASS acme-1.example (DMARC p=quarantine)"]
    assert list(DnsCheck.objects.values_list("domain__name", flat=True)) == ["acme-1.example"]


def test_rex_dns_check_pending_with_nothing_pending_says_so(db, rex_dns_check):
    assert rex_dns_check("--pending") == "no domain is waiting for DNS (dns_pending)\n"
