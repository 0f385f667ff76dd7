from domains.dns import check_domain
from domains.models import Domain


def test_domain_without_mx_fails_the_dns_check(dns_server, make_domain):
    domain = make_domain("acme-1.example", dns_ok=True)
    dns_server.configure_domain("acme-1.example", mx=False)

    check = check_domain(domain)

    assert not check.passed
    assert check.results["mx"] == {"ok": False, "records": [],
                                   "detail": "acme-1.example has no MX record: nobody can receive replies or bounces"}
    assert all(check.results[kind]["ok"] for kind in ("spf", "dkim", "dmarc"))
    assert Domain.objects.get(pk=domain.pk).dns_ok is False


def test_domain_that_does_not_exist_fails_with_nxdomain(dns_server, make_domain):
    domain = make_domain("nowhere.example")

    check = check_domain(domain)

    assert not check.passed
    assert "nowhere.example does not exist (NXDOMAIN)" in check.results["mx"]["detail"]
    assert "_dmarc.nowhere.example does not exist (NXDOMAIN)" in check.results["dmarc"]["detail"]


def test_null_mx_fails_the_dns_check(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", mx=False)
    dns_server.add_mx("acme-1.example", ".", priority=0)

    check = check_domain(domain)

    assert check.results["mx"]["ok"] is False
    assert "null MX" in check.results["mx"]["detail"]
