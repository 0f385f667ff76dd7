import dns.flags
import dns.message
import dns.query
import dns.rcode
import dns.rdatatype


def ask(dns_server, name: str, rdtype: str) -> dns.message.Message:
    host, port = dns_server.nameserver.split(":")
    return dns.query.udp(dns.message.make_query(name, rdtype), host, port=int(port), timeout=5)


def test_known_name_and_type_is_answered_authoritatively(dns_server):
    dns_server.configure_domain("acme-1.example")

    reply = ask(dns_server, "ACME-1.Example", "MX")  # names are case-insensitive

    assert reply.rcode() == dns.rcode.NOERROR
    assert reply.flags & dns.flags.AA
    assert not reply.flags & dns.flags.RA  # authoritative only, never recursive
    assert [r.to_text() for r in reply.answer[0]] == ["10 mx.rex-mail.example."]


def test_unknown_name_is_nxdomain_with_the_zone_soa(dns_server):
    dns_server.configure_domain("acme-1.example")

    reply = ask(dns_server, "nobody.acme-1.example", "TXT")

    assert reply.rcode() == dns.rcode.NXDOMAIN
    assert not reply.answer
    assert reply.authority[0].rdtype == dns.rdatatype.SOA
    assert reply.authority[0].name.to_text() == "acme-1.example."


def test_name_outside_every_zone_is_nxdomain(dns_server):
    assert ask(dns_server, "example.org", "A").rcode() == dns.rcode.NXDOMAIN


def test_known_name_without_that_type_is_noerror_with_no_answer(dns_server):
    dns_server.configure_domain("acme-1.example")

    reply = ask(dns_server, "acme-1.example", "AAAA")

    assert reply.rcode() == dns.rcode.NOERROR
    assert not reply.answer
    assert reply.authority[0].rdtype == dns.rdatatype.SOA


def test_name_that_only_has_names_below_it_exists(dns_server):
    dns_server.configure_domain("acme-1.example")

    # rex._domainkey.acme-1.example has a record, so _domainkey.acme-1.example exists (an empty non-terminal).
    assert ask(dns_server, "_domainkey.acme-1.example", "TXT").rcode() == dns.rcode.NOERROR


def test_records_added_while_serving_are_answered_at_once(dns_server):
    assert ask(dns_server, "late.example", "TXT").rcode() == dns.rcode.NXDOMAIN

    dns_server.add_txt("late.example", "hello")

    assert [r.to_text() for r in ask(dns_server, "late.example", "TXT").answer[0]] == ['"hello"']
