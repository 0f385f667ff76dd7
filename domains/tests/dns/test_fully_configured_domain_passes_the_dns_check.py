from domains.dns import check_domain
from domains.models import DnsCheck, Domain


def test_fully_configured_domain_passes_the_dns_check(dns_server, make_domain, settings):
    domain = make_domain("acme-1.example", state="dns_pending")
    dns_server.configure_domain("acme-1.example")

    check = check_domain(domain)

    assert check.passed, check.results
    assert {kind: result["ok"] for kind, result in check.results.items()} == {
        "mx": True, "spf": True, "dkim": True, "dmarc": True}
    assert check.results["mx"]["records"] == [f"10 {settings.REX_MX_HOST}"]
    assert "-all" in check.results["spf"]["detail"]
    assert check.results["dkim"]["detail"] == "selector rex: RSA 2048-bit key"
    assert check.dmarc_policy == "quarantine"
    assert check.nameservers == [dns_server.nameserver]
    stored = Domain.objects.get(pk=domain.pk)
    assert stored.dns_ok is True
    assert stored.dns_checked_at == check.checked_at
    assert DnsCheck.objects.filter(domain=domain).count() == 1
