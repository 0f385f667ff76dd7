"""DKIM signatures (RFC 6376) on outgoing mail, with the key whose public half REX publishes for the domain.

``domains.dns_provider`` generates a domain's RSA key on first publish, stores it encrypted in
``Domain.dkim_private_key_encrypted`` and publishes ``v=DKIM1; k=rsa; p=…`` at ``<selector>._domainkey.<domain>``.
Here the same key signs: ``sign(message_bytes, domain)`` returns the message with a ``DKIM-Signature`` header
prepended (``a=rsa-sha256``, ``c=relaxed/relaxed``, ``d=<domain>``, ``s=<selector>``). The key is read from the
database at each send, so a regenerated key signs from the next message on: the one signing is always the one
stored, the one the next publish puts in DNS.

Why relaxed/relaxed: "simple" canonicalization breaks on changes that relays make without touching the meaning,
such as refolding a long header (List-Unsubscribe is long), changing whitespace or the case of a header name, or
adding trailing blank lines. "relaxed" ignores exactly those, and still breaks on any change of a word. It is
what the large mailbox providers sign with themselves.

Which headers: the ones a reader or a mail client acts on, so none of them can be changed or added in transit
without breaking the signature: From (RFC 6376 requires it; DMARC aligns on it), To, Subject, Date, Message-ID,
In-Reply-To and References (the thread a reply joins, when present), List-Unsubscribe and List-Unsubscribe-Post
(RFC 8058 requires them to be signed for one-click unsubscribe to be offered), MIME-Version and Content-Type (how
the body is read). Only those present are listed. Trace and transport headers (Received, Return-Path) are added
on the way and must not be signed; X-REX-Outbound-ID is ours alone and needs no protection.

A domain without a key yet (its DNS records were never published) sends unsigned, with a warning for each such
message: such a domain cannot pass the DNS check that lets it send cold mail, so in practice this is the local
stack and tests. A key that is stored but cannot be read (decrypted or parsed) is another matter: sending
unsigned would silently fail DMARC, so ``DkimKeyUnreadable`` is raised and the transport sends nothing.

SendGrid signs every message it sends with the key of the sender's SendGrid authenticated domain (set up in
SendGrid, with its own CNAME records); it takes structured content through its Web API, not our bytes, so the
SendGrid transport does not sign. Only the SMTP transport signs, over the exact bytes it sends (see
``inboxes.transports.VerifiedSMTPBackend``).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from email.parser import BytesHeaderParser
from typing import TYPE_CHECKING

# Absolute import: the dkimpy package, not this module (inboxes.dkim).
import dkim as dkimpy
from dkim.crypto import UnparsableKeyError, parse_pem_private_key

from core.crypto import SecretUnreadable, decrypt

if TYPE_CHECKING:
    from domains.models import Domain

logger = logging.getLogger(__name__)

CANONICALIZATION = (b"relaxed", b"relaxed")
ALGORITHM = b"rsa-sha256"
SIGNED_HEADERS = ("From", "To", "Subject", "Date", "Message-ID", "In-Reply-To", "References", "List-Unsubscribe",
                  "List-Unsubscribe-Post", "MIME-Version", "Content-Type")


class DkimError(Exception):
    """A message that should be signed cannot be: it must not be sent."""


class DkimKeyUnreadable(DkimError):
    """The domain's stored key cannot be decrypted or is not an RSA private key."""


@dataclass(frozen=True)
class Signer:
    """Signs messages for one domain; ``private_key_pem`` is None while the domain has no key (unsigned)."""

    domain_name: str
    selector: str
    # Never in a repr: a signer may end up in a log line or a traceback.
    private_key_pem: bytes | None = field(default=None, repr=False)

    def sign(self, message: bytes) -> bytes:
        """``message`` with a ``DKIM-Signature`` header in front; unchanged (and a warning) without a key."""
        if self.private_key_pem is None:
            logger.warning("domain %s has no DKIM key yet (its DNS records were never published): "
                           "this message goes out unsigned", self.domain_name)
            return message
        present = {name.lower() for name in BytesHeaderParser().parsebytes(message).keys()}
        headers = [name.encode("ascii") for name in SIGNED_HEADERS if name.lower() in present]
        # dkimpy folds the header with the line ending it is given; it must match the message's own.
        linesep = b"\r\n" if b"\r\n" in message else b"\n"
        try:
            signature = dkimpy.sign(message, _ascii(self.selector), _ascii(self.domain_name), self.private_key_pem,
                                    canonicalize=CANONICALIZATION, signature_algorithm=ALGORITHM,
                                    include_headers=headers, linesep=linesep)
        except dkimpy.DKIMException as exc:
            raise DkimError(f"cannot DKIM-sign a message for {self.domain_name}: {exc}") from exc
        return signature + message


def _ascii(name: str) -> bytes:
    # d= and s= are DNS labels: an internationalized name goes in its A-label (xn--) form.
    try:
        return name.encode("ascii")
    except UnicodeEncodeError:
        return name.encode("idna")


def signer_for(domain: Domain) -> Signer:
    """The signer of ``domain`` with its currently stored key, checked now (``DkimKeyUnreadable``).

    The selector and key are read from the database, not from ``domain``: an instance loaded before the key was
    regenerated would otherwise sign with a key that is no longer published.
    """
    from domains.models import Domain

    stored = Domain.objects.filter(pk=domain.pk).values_list("dkim_selector", "dkim_private_key_encrypted").first()
    selector, token = stored if stored is not None else (domain.dkim_selector, domain.dkim_private_key_encrypted)
    if not token:
        return Signer(domain.name, selector, None)
    try:
        pem = decrypt(token).encode("ascii")
    except (SecretUnreadable, UnicodeEncodeError) as exc:
        raise DkimKeyUnreadable(f"the DKIM key of {domain.name} cannot be decrypted: {exc}") from exc
    try:
        # Parsed now, so a bad key is found before a connection is opened, not halfway through a send.
        parse_pem_private_key(pem)
    except (UnparsableKeyError, ValueError, IndexError, TypeError) as exc:
        # Never the key or its text in the message: only that it is not one.
        raise DkimKeyUnreadable(f"the stored DKIM key of {domain.name} is not an RSA private key "
                                f"({exc.__class__.__name__})") from None
    return Signer(domain.name, selector, pem)


def sign(message_bytes: bytes, domain: Domain) -> bytes:
    """``message_bytes`` with a DKIM-Signature for ``domain`` prepended (unsigned, with a warning, without a key).

    Raises ``DkimKeyUnreadable`` for a stored key that cannot be read and ``DkimError`` when signing fails.
    """
    return signer_for(domain).sign(message_bytes)
