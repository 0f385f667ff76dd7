"""Fixtures of the domains app's tests: a real DNS server on 127.0.0.1 and domains to check against it."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from functools import cache

import pytest

from domains.dns_server import LocalDnsServer, MemoryZone, ZoneRecord
from ops.net import free_port


@cache
def test_dkim_public_key_b64() -> str:
    """One RSA-2048 public key (base64 SubjectPublicKeyInfo) for the whole session: generating keys is slow."""
    from domains.dns_provider import dkim_public_key_der, generate_dkim_private_key

    return base64.b64encode(dkim_public_key_der(generate_dkim_private_key())).decode("ascii")


test_dkim_public_key_b64.__test__ = False  # a helper, despite the name


class DnsServerFixture:
    """A running ``LocalDnsServer`` serving a mutable in-memory zone that the test fills."""

    def __init__(self, server: LocalDnsServer, zone: MemoryZone) -> None:
        self.server, self.zone = server, zone

    @property
    def nameserver(self) -> str:
        return self.server.nameserver

    def add(self, name: str, rtype: str, value: str, *, priority: int | None = None) -> ZoneRecord:
        return self.zone.add(name, rtype, value, priority=priority)

    def add_mx(self, name: str, host: str, priority: int = 10) -> ZoneRecord:
        return self.zone.add(name, "MX", host, priority=priority)

    def add_txt(self, name: str, value: str) -> ZoneRecord:
        return self.zone.add(name, "TXT", value)

    def remove(self, name: str, rtype: str | None = None) -> None:
        self.zone.remove(name, rtype)

    def configure_domain(self, name: str, *, selector: str = "rex", mx: bool = True, spf: str | None = None,
                         dkim: str | None = None, dmarc: str | None = None) -> None:
        """Publish a fully valid MX/SPF/DKIM/DMARC set for ``name``; pass a value to replace one record, or
        ``""`` to leave it out."""
        from django.conf import settings

        self.zone.apexes.add(name)
        if mx:
            self.add_mx(name, settings.REX_MX_HOST)
        valid_dkim = f"v=DKIM1; k=rsa; p={test_dkim_public_key_b64()}"
        records = {
            name: f"v=spf1 include:{settings.REX_SPF_INCLUDE} -all" if spf is None else spf,
            f"{selector}._domainkey.{name}": valid_dkim if dkim is None else dkim,
            f"_dmarc.{name}": f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{name}" if dmarc is None else dmarc,
        }
        for record_name, value in records.items():
            if value:
                self.add_txt(record_name, value)


@pytest.fixture
def dns_server(settings) -> Iterator[DnsServerFixture]:
    """A real dnslib server on 127.0.0.1 (UDP and TCP) that REX's DNS checks ask (REX_DNS_NAMESERVERS)."""
    zone = MemoryZone()
    for attempt in range(5):
        try:
            server = LocalDnsServer("127.0.0.1", free_port(), zone).start()
            break
        except OSError:
            # free_port() vouches for TCP only; the UDP side of that port may be held by someone else.
            if attempt == 4:
                raise
    settings.REX_DNS_NAMESERVERS = [server.nameserver]
    try:
        yield DnsServerFixture(server, zone)
    finally:
        server.stop()


@pytest.fixture
def domain_pool(organization):
    from domains.models import DomainPool

    return DomainPool.objects.create(organization=organization, name="Acme main")


@pytest.fixture
def make_domain(domain_pool) -> Callable[..., object]:
    """``make_domain("acme-1.example", state="dns_pending", dns_ok=True, ...)`` → a saved Domain."""
    from domains.models import DomainState
    from domains.tests.factories import create_domain

    def make(name: str = "acme-1.example", *, state: str = DomainState.PENDING, **fields):
        return create_domain(domain_pool.organization, name, pool=domain_pool, state=state, **fields)

    return make


@pytest.fixture
def rex_dns_check() -> Callable[..., str]:
    """Run ``manage.py rex_dns_check`` with these arguments; returns its stdout (CommandError propagates)."""
    from io import StringIO

    from django.core.management import call_command

    def run(*args: str) -> str:
        out = StringIO()
        call_command("rex_dns_check", *args, stdout=out, stderr=StringIO(), no_color=True)
        return out.getvalue()

    return run


@pytest.fixture
def acme_pool(organization):
    """The client acme's pool: domains are ordered only for a client that has one (``create pool acme``)."""
    from domains.models import DomainPool

    return DomainPool.objects.create(organization=organization, name="acme", slug="acme")
