import dns.message
import dns.query
import dns.rdatatype

from domains.dns import check_domain
from domains.tests.conftest import test_dkim_public_key_b64


def test_dkim_record_split_into_several_strings_is_read(dns_server, make_domain):
    record = f"v=DKIM1; k=rsa; p={test_dkim_public_key_b64()}"
    assert len(record) > 255
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dkim=record)

    check = check_domain(domain)

    assert check.results["dkim"]["ok"] is True, check.results["dkim"]
    assert check.results["dkim"]["records"] == [record]
    # On the wire the value really travelled as several character-strings of at most 255 bytes.
    host, port = dns_server.nameserver.split(":")
    answer = dns.query.tcp(dns.message.make_query("rex._domainkey.acme-1.example", "TXT"), host, port=int(port),
                           timeout=5)
    strings = answer.find_rrset(answer.answer, answer.question[0].name, 1, dns.rdatatype.TXT)[0].strings
    assert len(strings) == 2
    assert [len(s) for s in strings] == [255, len(record) - 255]
    assert b"".join(strings).decode() == record


def test_udp_answer_too_large_is_truncated_and_retried_over_tcp(dns_server, make_domain):
    long_record = "v=DKIM1; k=rsa; p=" + test_dkim_public_key_b64() + "; n=" + "x" * 400
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dkim=long_record)
    host, port = dns_server.nameserver.split(":")

    over_udp = dns.query.udp(dns.message.make_query("rex._domainkey.acme-1.example", "TXT"), host, port=int(port),
                             timeout=5)

    assert over_udp.flags & dns.flags.TC
    assert check_domain(domain).results["dkim"]["records"] == [long_record]
