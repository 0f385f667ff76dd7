from core.crypto import decrypt
from domains.dns_provider import LocalDnsProvider, dkim_public_key_der
from domains.models import DnsRecord, Domain


def _published(domain):
    return sorted(DnsRecord.objects.filter(domain=domain).values_list("name", "rtype", "value", "priority"))


def test_publishing_dns_records_twice_is_idempotent(make_domain, settings):
    domain = make_domain("acme-1.example")
    provider = LocalDnsProvider()

    first = provider.publish(domain)
    token = Domain.objects.get(pk=domain.pk).dkim_private_key_encrypted
    records_after_first = _published(domain)
    second = provider.publish(Domain.objects.get(pk=domain.pk))

    assert [r.pk for r in second] == [r.pk for r in first]
    assert _published(domain) == records_after_first
    assert Domain.objects.get(pk=domain.pk).dkim_private_key_encrypted == token  # the key was not regenerated
    assert len(records_after_first) == 4
    assert records_after_first == sorted([
        ("acme-1.example", "MX", settings.REX_MX_HOST, 10),
        ("acme-1.example", "TXT", f"v=spf1 include:{settings.REX_SPF_INCLUDE} -all", None),
        ("_dmarc.acme-1.example", "TXT",
         "v=DMARC1; p=quarantine; rua=mailto:dmarc@acme-1.example; adkim=r; aspf=r", None),
        ("rex._domainkey.acme-1.example", "TXT", next(r.value for r in first if r.name.startswith("rex.")), None),
    ])


def test_private_key_is_stored_encrypted_and_matches_the_published_key(make_domain):
    import base64

    domain = make_domain("acme-1.example")
    records = LocalDnsProvider().publish(domain)

    token = Domain.objects.get(pk=domain.pk).dkim_private_key_encrypted
    assert "PRIVATE KEY" not in token
    pem = decrypt(token)
    assert pem.startswith("-----BEGIN PRIVATE KEY-----")
    dkim = next(r for r in records if r.name == "rex._domainkey.acme-1.example")
    assert dkim.value == f"v=DKIM1; k=rsa; p={base64.b64encode(dkim_public_key_der(pem)).decode()}"


def test_republishing_after_a_setting_change_replaces_the_record_instead_of_adding_one(make_domain, settings):
    domain = make_domain("acme-1.example")
    provider = LocalDnsProvider()
    provider.publish(domain)
    DnsRecord.objects.create(domain=domain, name="acme-1.example", rtype="TXT", value="google-site-verification=x")

    settings.REX_MX_HOST = "mx2.rex-mail.example"
    settings.REX_SPF_INCLUDE = "_spf2.rex-mail.example"
    provider.publish(domain)

    apex = sorted(DnsRecord.objects.filter(name="acme-1.example").values_list("rtype", "value"))
    assert apex == [("MX", "mx2.rex-mail.example"), ("TXT", "google-site-verification=x"),
                    ("TXT", "v=spf1 include:_spf2.rex-mail.example -all")]
