from domains.dns import check_domain


def test_two_spf_records_fail_as_a_permerror(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example")
    dns_server.add_txt("acme-1.example", "v=spf1 include:_spf.google.com ~all")
    dns_server.add_txt("acme-1.example", "google-site-verification=abc123")

    check = check_domain(domain)

    assert not check.passed
    spf = check.results["spf"]
    assert spf["ok"] is False
    assert sorted(spf["records"]) == ["v=spf1 include:_spf.google.com ~all",
                                      "v=spf1 include:_spf.rex-mail.example -all"]
    assert "2 SPF records" in spf["detail"]
    assert "RFC 7208" in spf["detail"]


def test_a_non_spf_txt_record_beside_the_spf_record_is_fine(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example")
    dns_server.add_txt("acme-1.example", "google-site-verification=abc123")

    assert check_domain(domain).results["spf"]["ok"] is True
