"""Unsubscribe links: opaque tokens that say who asked, and the https URL every cold email carries.

A token is (organization id, email, contact id) under authenticated encryption (Fernet, with a key of its own
derived from the secret key: ``core.crypto.derived_fernet``), so it cannot be forged or altered, reads as noise to
anyone who sees the URL (a forwarded email, a proxy's log, a link scanner), and needs no database row to exist
before the click. It expires after REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS (long: people unsubscribe from old mail too).

Links mailed before the tokens were encrypted are ``django.core.signing`` values (base64 JSON anyone can decode to
the address, then a signature); they are still honoured until they expire by the same age. The two cannot be
confused: a signed value has ":" separators, which Fernet's urlsafe base64 never contains. Once every such link is
older than REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS, ``_read_signed`` can go.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core import signing

from core.crypto import derived_fernet
from inboxes.models import Suppression
from inboxes.suppression import suppress
from tenants.models import Organization

if TYPE_CHECKING:
    from campaigns.models import Contact

# The salt of the signed (readable) tokens of old links; the key purpose of the encrypted ones.
SALT = "inboxes.unsubscribe.v1"
PURPOSE = "inboxes.unsubscribe.v2"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1"}


# Who a contact id names, asked of the app that owns contacts (campaigns, above this one), which registers it in
# its AppConfig.ready: ``lookup(organization, contact_id)`` → the contact or None.
ContactLookup = Callable[["Organization", int], "Contact | None"]
_contact_lookup: ContactLookup | None = None


def register_contact_lookup(lookup: ContactLookup) -> None:
    global _contact_lookup
    _contact_lookup = lookup


class InvalidUnsubscribeToken(Exception):
    """A token that was tampered with, has expired or names nothing we know."""


@dataclass(frozen=True)
class UnsubscribeRequest:
    organization_id: int
    email: str
    contact_id: int | None


def make_token(organization: Organization, email: str, contact: Contact | None = None) -> str:
    payload = {"o": organization.pk, "e": email.strip().lower(), "c": contact.pk if contact is not None else None}
    return derived_fernet(PURPOSE).encrypt(json.dumps(payload, separators=(",", ":")).encode()).decode("ascii")


def read_token(token: str) -> UnsubscribeRequest:
    payload = _read_signed(token) if ":" in token else _read_encrypted(token)
    return _request_from(payload)


def _max_age() -> timedelta:
    return timedelta(days=settings.REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS)


def _read_encrypted(token: str) -> object:
    fernet = derived_fernet(PURPOSE)
    try:
        plaintext = fernet.decrypt(token.encode("ascii"))
        issued_at = fernet.extract_timestamp(token.encode("ascii"))
    except (InvalidToken, UnicodeEncodeError) as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid") from exc
    # Checked here rather than by decrypt(ttl=...), which answers an expired link like a forged one.
    if time.time() - issued_at > _max_age().total_seconds():
        raise InvalidUnsubscribeToken("this unsubscribe link has expired")
    try:
        return json.loads(plaintext)
    except ValueError as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid") from exc


def _read_signed(token: str) -> object:
    """A token of a link mailed before tokens were encrypted (signed base64 JSON)."""
    try:
        return signing.loads(token, salt=SALT, max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link has expired") from exc
    except signing.BadSignature as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid") from exc


def _request_from(payload: object) -> UnsubscribeRequest:
    if not isinstance(payload, dict):
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid")
    try:
        organization_id = int(payload["o"])
        email = str(payload["e"])
        contact_id = int(payload["c"]) if payload.get("c") is not None else None
    except (KeyError, TypeError, ValueError) as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid") from exc
    return UnsubscribeRequest(organization_id, email, contact_id)


def check_public_base_url() -> str:
    """REX_PUBLIC_BASE_URL without its trailing slash, or ValueError when it cannot carry a List-Unsubscribe URI.

    RFC 8058 one-click needs an https URI (mailbox providers ignore http ones); plain http is tolerated only
    for a local stack (DEBUG, or the host is this machine), where nobody outside could click it anyway.
    """
    base = (settings.REX_PUBLIC_BASE_URL or "").strip().rstrip("/")
    parts = urlsplit(base)
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise ValueError(f"REX_PUBLIC_BASE_URL must be an absolute https URL (e.g. https://rex.example.com), "
                         f"not {base!r}")
    if parts.scheme == "http" and not (settings.DEBUG or parts.hostname in LOCAL_HOSTS):
        raise ValueError(f"REX_PUBLIC_BASE_URL is {base!r}: unsubscribe links must be https (RFC 8058); "
                         "set it to the https address where this site is reachable")
    return base


def unsubscribe_url(organization: Organization, email: str, contact: Contact | None = None) -> str:
    return f"{check_public_base_url()}/u/{make_token(organization, email, contact)}"


def do_unsubscribe(request: UnsubscribeRequest, *, source: str) -> list[Suppression]:
    """Suppress whoever the link was sent to, at once, on every channel (the contact's email and phone too).

    Raises InvalidUnsubscribeToken when the organization is gone. A contact deleted since the email was sent
    no longer has a phone to suppress; the email from the link is suppressed all the same.
    """
    organization = Organization.objects.filter(pk=request.organization_id).first()
    if organization is None:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid")
    contact = None
    if request.contact_id is not None and _contact_lookup is not None:
        contact = _contact_lookup(organization, request.contact_id)
    return suppress(organization, email=request.email, contact=contact, reason=Suppression.Reason.UNSUBSCRIBE,
                    source=source)
