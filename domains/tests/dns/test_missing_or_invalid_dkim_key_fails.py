import base64

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from domains.dns import check_domain


def _b64_public(key) -> str:
    der = key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    return base64.b64encode(der).decode()


def test_missing_dkim_record_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dkim="")

    check = check_domain(domain)

    assert not check.passed
    assert check.results["dkim"]["ok"] is False
    assert "rex._domainkey.acme-1.example does not exist (NXDOMAIN)" in check.results["dkim"]["detail"]


def test_dkim_record_at_another_selector_does_not_count(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", selector="google")

    assert check_domain(domain).results["dkim"]["ok"] is False


@pytest.mark.parametrize(("record", "reason"), [
    ("v=DKIM1; k=rsa; p=", "DKIM key is empty"),
    ("v=DKIM1; k=rsa; p=not*base64!", "p= is not valid base64"),
    (f"v=DKIM1; k=rsa; p={base64.b64encode(b'this is no key').decode()}", "p= is not a public key"),
    ("v=DKIM2; k=rsa; p=MIIB", "must start with v=DKIM1"),
    ("v=DKIM1; k=ed25519; p=MCowBQYDK2VwAyEA", "k=ed25519 is not rsa"),
    ("v=DKIM1; k=rsa; k=rsa; p=MIIB", "tag k= appears twice"),
])
def test_invalid_dkim_record_fails_with_its_reason(dns_server, make_domain, record, reason):
    domain = make_domain("acme-1.example")
    dns_server.configure_domain("acme-1.example", dkim=record)

    check = check_domain(domain)

    assert not check.passed
    assert check.results["dkim"]["ok"] is False
    assert check.results["dkim"]["records"] == [record]
    assert reason in check.results["dkim"]["detail"]


def test_dkim_key_that_is_not_rsa_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    ec_key = _b64_public(ec.generate_private_key(ec.SECP256R1()))
    dns_server.configure_domain("acme-1.example", dkim=f"v=DKIM1; p={ec_key}")

    assert "not an RSA key" in check_domain(domain).results["dkim"]["detail"]


def test_dkim_key_shorter_than_1024_bits_fails(dns_server, make_domain):
    domain = make_domain("acme-1.example")
    # cryptography refuses to generate such a key, but anyone can publish one.
    weak = rsa.RSAPublicNumbers(65537, (1 << 767) | 0xFFFF_FFFF_FFFF_FFFF_F1).public_key()
    der = weak.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    dns_server.configure_domain("acme-1.example", dkim=f"v=DKIM1; k=rsa; p={base64.b64encode(der).decode()}")

    assert "RSA 768-bit" in check_domain(domain).results["dkim"]["detail"]


def test_dkim_key_that_is_not_the_domains_signing_key_fails(dns_server, make_domain):
    from core.crypto import encrypt
    from domains.dns_provider import generate_dkim_private_key

    domain = make_domain("acme-1.example", dkim_private_key_encrypted=encrypt(generate_dkim_private_key()))
    dns_server.configure_domain("acme-1.example")  # a valid key, but someone else's

    check = check_domain(domain)

    assert check.results["dkim"]["ok"] is False
    assert "not the public half of the domain's signing key" in check.results["dkim"]["detail"]
