import pytest

from domains.dns import check_domain


def test_spf_without_the_rex_include_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", spf="v=spf1 include:_spf.google.com -all")

    check = check_domain(domain)

    assert not check.passed
    assert check.results["spf"]["ok"] is False
    assert check.results["spf"]["records"] == ["v=spf1 include:_spf.google.com -all"]
    assert "does not include:_spf.rex-mail.example" in check.results["spf"]["detail"]


@pytest.mark.parametrize(("ending", "expected"), [("+all", "ends in +all"), ("?all", "ends in ?all"),
                                                  ("", "has no -all or ~all")])
def test_spf_that_lets_any_server_send_fails(dns_server, make_domain, ending, expected):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", spf=f"v=spf1 include:_spf.rex-mail.example {ending}".strip())

    check = check_domain(domain)

    assert check.results["spf"]["ok"] is False
    assert expected in check.results["spf"]["detail"]


def test_spf_ending_in_softfail_passes_and_says_so(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", spf="v=spf1 include:_spf.rex-mail.example ~all")

    check = check_domain(domain)

    assert check.results["spf"]["ok"] is True
    assert "ends in ~all" in check.results["spf"]["detail"]


def test_spf_include_after_all_is_never_evaluated_and_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", spf="v=spf1 -all include:_spf.rex-mail.example")

    check = check_domain(domain)

    assert check.results["spf"]["ok"] is False
    assert "comes after -all" in check.results["spf"]["detail"]
