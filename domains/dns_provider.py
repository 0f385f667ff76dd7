"""Where a domain's DNS records are published.

``get_provider()`` returns the configured provider (``settings.REX_DNS_PROVIDER``): ``"local"`` keeps the records
in the ``DnsRecord`` table, which REX's own DNS server (``domains.dns_server``, started by ``rex up``) serves;
a dotted path plugs a registrar's DNS API with the same two methods.

Every provider publishes the same four things for a domain: the MX that receives replies and bounces, the SPF
record allowing REX's servers, the DKIM public key of the domain's signing key (generated on first publish,
stored encrypted) and a DMARC policy.
"""

from __future__ import annotations

import base64
from abc import ABC, abstractmethod
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils.module_loading import import_string

from core.crypto import decrypt, encrypt
from domains.models import DnsRecord, Domain

DKIM_KEY_BITS = 2048


def generate_dkim_private_key() -> str:
    """A new RSA signing key, as unencrypted PKCS#8 PEM (the caller encrypts it before storing)."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=DKIM_KEY_BITS)
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode("ascii")


def dkim_public_key_der(private_pem: str) -> bytes:
    """The SubjectPublicKeyInfo DER of a PEM private key: what a DKIM record's p= carries (base64)."""
    key = serialization.load_pem_private_key(private_pem.encode("ascii"), password=None)
    return key.public_key().public_bytes(serialization.Encoding.DER,
                                         serialization.PublicFormat.SubjectPublicKeyInfo)


@dataclass(frozen=True)
class WantedRecord:
    name: str
    rtype: str
    value: str
    priority: int | None = None


def wanted_records(domain: Domain, dkim_public_der: bytes) -> list[WantedRecord]:
    """The records that authenticate ``domain`` for sending through REX."""
    name = domain.name
    p = base64.b64encode(dkim_public_der).decode("ascii")
    return [
        WantedRecord(name, "MX", settings.REX_MX_HOST.rstrip("."), 10),
        WantedRecord(name, "TXT", f"v=spf1 include:{settings.REX_SPF_INCLUDE.rstrip('.')} -all"),
        WantedRecord(f"{domain.dkim_selector}._domainkey.{name}", "TXT", f"v=DKIM1; k=rsa; p={p}"),
        WantedRecord(f"_dmarc.{name}", "TXT", f"v=DMARC1; p=quarantine; rua=mailto:dmarc@{name}; adkim=r; aspf=r"),
    ]


def _same_role(record: DnsRecord, wanted: WantedRecord) -> bool:
    """Whether an existing record plays the part ``wanted`` plays (and must give way to it when different)."""
    if (record.name, record.rtype) != (wanted.name, wanted.rtype):
        return False
    if wanted.value.startswith("v=spf1"):
        # At the apex a TXT may be anything (site verifications…); only another SPF record is in the way there.
        return record.value.lower().startswith("v=spf1")
    return True  # the MX, and any TXT at the DKIM selector or at _dmarc, are ours to replace


class DnsProvider(ABC):
    """Publishes and removes a domain's authentication records."""

    @abstractmethod
    def publish(self, domain: Domain) -> list[DnsRecord]:
        """Publish (or bring up to date) the domain's MX, SPF, DKIM and DMARC records; idempotent."""

    @abstractmethod
    def unpublish(self, domain: Domain) -> None:
        """Remove every record published for the domain."""


class LocalDnsProvider(DnsProvider):
    """Records kept in the ``DnsRecord`` table and served by REX's own DNS server."""

    def publish(self, domain: Domain) -> list[DnsRecord]:
        with transaction.atomic():
            # The row lock makes two concurrent publishes agree on one signing key.
            locked = Domain.objects.select_for_update().get(pk=domain.pk)
            if locked.dkim_private_key_encrypted:
                private_pem = decrypt(locked.dkim_private_key_encrypted)
            else:
                private_pem = generate_dkim_private_key()
                locked.dkim_private_key_encrypted = encrypt(private_pem)
                Domain.objects.filter(pk=locked.pk).update(
                    dkim_private_key_encrypted=locked.dkim_private_key_encrypted)
            domain.dkim_private_key_encrypted = locked.dkim_private_key_encrypted
            existing = list(DnsRecord.objects.filter(domain=locked))
            published = []
            for wanted in wanted_records(locked, dkim_public_key_der(private_pem)):
                same = [r for r in existing if _same_role(r, wanted)]
                keep = next((r for r in same if r.value == wanted.value), None)
                # A record left by an earlier configuration (another MX host, an old SPF include) is replaced:
                # two SPF or two DMARC records would break authentication altogether.
                stale = [r.pk for r in same if r is not keep]
                if stale:
                    DnsRecord.objects.filter(pk__in=stale).delete()
                if keep is None:
                    keep = DnsRecord.objects.create(domain=locked, name=wanted.name, rtype=wanted.rtype,
                                                    value=wanted.value, priority=wanted.priority)
                elif keep.priority != wanted.priority:
                    keep.priority = wanted.priority
                    keep.save(update_fields=["priority"])
                published.append(keep)
        return published

    def unpublish(self, domain: Domain) -> None:
        DnsRecord.objects.filter(domain=domain).delete()


def get_provider() -> DnsProvider:
    """The provider named by ``settings.REX_DNS_PROVIDER`` ("local" or a dotted path to a DnsProvider class)."""
    path = settings.REX_DNS_PROVIDER
    if path == "local":
        return LocalDnsProvider()
    try:
        cls = import_string(path)
    except ImportError as exc:
        raise ImproperlyConfigured(f"REX_DNS_PROVIDER={path!r} cannot be imported: {exc}") from exc
    if not (isinstance(cls, type) and issubclass(cls, DnsProvider)):
        raise ImproperlyConfigured(f"REX_DNS_PROVIDER={path!r} is not a domains.dns_provider.DnsProvider subclass")
    return cls()
