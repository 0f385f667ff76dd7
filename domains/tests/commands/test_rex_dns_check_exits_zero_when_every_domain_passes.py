from domains.models import DnsCheck


def test_rex_dns_check_exits_zero_when_every_domain_passes(dns_server, make_domain, rex_dns_check):
    make_domain("acme-1.example")
    make_domain("acme-2.example")
    dns_server.configure_domain("acme-1.example")
    dns_server.configure_domain("acme-2.example", dmarc="v=DMARC1; p=reject")

    output = rex_dns_check("acme-1.example", "ACME-2.example.")

    assert output.splitlines() == ["PASS acme-1.example (DMARC p=quarantine)", "PASS acme-2.example (DMARC p=reject)"]
    assert DnsCheck.objects.filter(passed=True).count() == 2
