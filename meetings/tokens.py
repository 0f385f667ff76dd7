"""The booking link's token: the ``BookingLink`` id signed with ``django.core.signing`` (HMAC over SECRET_KEY with
its own salt). One link per enrollment, so one token per enrollment; it never changes, and expires with the row's
``expires_at`` (checked against the database, so an operator can end a link early).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing

from meetings.models import BookingLink

SALT = "meetings.booking-link"


class LinkRefused(Exception):
    """A token that cannot be used: ``status`` 400 (malformed or tampered) or 410 (expired or withdrawn)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status, self.reason = status, reason


def token_for(link: BookingLink) -> str:
    return signing.dumps({"l": link.pk}, salt=SALT, compress=False)


def booking_url(link: BookingLink) -> str:
    return f"{settings.REX_PUBLIC_BASE_URL.rstrip('/')}/book/{token_for(link)}/"


def link_of(token: str) -> BookingLink:
    """The link a token names; ``LinkRefused`` when it was tampered with (400) or has expired (410)."""
    try:
        data = signing.loads(token, salt=SALT)
        link_id = int(data["l"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise LinkRefused(400, "this booking link is not valid (it was changed or cut short); use the link from "
                               "the email as it is") from None
    link = (BookingLink.objects.select_related("calendar", "calendar__owner", "enrollment__contact",
                                               "enrollment__campaign", "enrollment__organization")
            .filter(pk=link_id).first())
    if link is None:
        raise LinkRefused(410, "this booking link was withdrawn; ask for a new one")
    if link.expired:
        raise LinkRefused(410, f"this booking link expired on {link.expires_at:%Y-%m-%d}; ask for a new one")
    return link
