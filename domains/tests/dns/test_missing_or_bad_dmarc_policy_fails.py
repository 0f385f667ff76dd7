import pytest

from domains.dns import check_domain


def test_missing_dmarc_record_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dmarc="")

    check = check_domain(domain)

    assert not check.passed
    assert check.results["dmarc"] == {
        "ok": False, "records": [], "detail": "no DMARC record: _dmarc.acme-1.example does not exist (NXDOMAIN)"}
    assert check.dmarc_policy == ""


@pytest.mark.parametrize(("record", "reason"), [
    ("v=DMARC1; p=block", "p=block is not a policy"),
    ("v=DMARC1; rua=mailto:dmarc@acme-1.example", "no p= policy tag"),
    ("p=reject; v=DMARC1", "no DMARC record: none of the 1 TXT record(s) starts with v=DMARC1"),
])
def test_bad_dmarc_policy_fails_with_its_reason(dns_server, make_domain, record, reason):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dmarc=record)

    check = check_domain(domain)

    assert not check.passed
    assert check.results["dmarc"]["ok"] is False
    assert reason in check.results["dmarc"]["detail"]


def test_two_dmarc_records_fail(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example")
    dns_server.add_txt("_dmarc.acme-1.example", "v=DMARC1; p=none")

    check = check_domain(domain)

    assert check.results["dmarc"]["ok"] is False
    assert "2 DMARC records" in check.results["dmarc"]["detail"]


def test_dmarc_p_none_passes_but_notes_it_only_monitors(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dmarc="v=DMARC1; p=none; rua=mailto:dmarc@acme-1.example")

    check = check_domain(domain)

    assert check.passed
    assert check.dmarc_policy == "none"
    assert "only monitors" in check.results["dmarc"]["detail"]


def test_dmarc_reject_policy_is_stored(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dmarc="v=DMARC1; p=reject")

    assert check_domain(domain).dmarc_policy == "reject"
