"""Unsubscribe links: signed tokens that say who asked, and the https URL every cold email carries.

A token is ``django.core.signing`` over (organization id, email, contact id) with its own salt, so it cannot be
forged, cannot be reused as any other signed value of the site, and needs no database row to exist before the
click. It expires after REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS (long: people unsubscribe from old mail too).
The email is signed, not encrypted: the link only ever travels inside the recipient's own message.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.core import signing

from inboxes.models import Suppression
from inboxes.suppression import suppress
from tenants.models import Organization

if TYPE_CHECKING:
    from campaigns.models import Contact

SALT = "inboxes.unsubscribe.v1"
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
    return signing.dumps(payload, salt=SALT, compress=True)


def read_token(token: str) -> UnsubscribeRequest:
    max_age = timedelta(days=settings.REX_UNSUBSCRIBE_TOKEN_MAX_AGE_DAYS)
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link has expired") from exc
    except signing.BadSignature as exc:
        raise InvalidUnsubscribeToken("this unsubscribe link is not valid") from exc
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
