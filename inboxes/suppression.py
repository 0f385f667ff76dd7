"""The suppression list: who must not be contacted again, on any channel.

``suppress`` is called by the unsubscribe page, the provider webhooks and the SMS STOP handling; ``is_suppressed``
by every send before it takes a slot. Emails are kept lower-case and phones in E.164, so one person is one row
per channel however the address was typed. Writing is idempotent (the unique constraints on the table decide): a
second unsubscribe, a replayed webhook or two at once leave one row each and never fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

import phonenumbers
from django.conf import settings
from django.db import IntegrityError, transaction

from core.registry import Registry
from inboxes.models import Suppression

if TYPE_CHECKING:
    from campaigns.models import Contact
    from tenants.models import Organization

# Called as listener(organization, emails, phones, reason, source) after every ``suppress``.
SuppressionListener = Callable[["Organization", set[str], set[str], str, str], None]
SUPPRESSION_LISTENERS: Registry[SuppressionListener] = Registry("suppression listener")


def register_suppression_listener(name: str, listener: SuppressionListener) -> None:
    SUPPRESSION_LISTENERS.register(name, listener)


# CTIA's opt-out keywords: a message that is exactly one of these (whatever the case) is an opt-out.
SMS_STOP_KEYWORDS = frozenset({"STOP", "UNSUBSCRIBE", "END", "QUIT", "STOPALL", "REVOKE", "OPTOUT", "CANCEL"})
_EDGE_NOISE = re.compile(r"^[\W_]+|[\W_]+$")


def normalize_email(email: str) -> str:
    return (email or "").strip().lower()


def normalize_phone(phone: str) -> str:
    """The number in E.164 (``+447700900123``); a national number is read in REX_PII_DEFAULT_REGION.

    Something that is not a phone number at all is kept as typed (without spaces) rather than dropped: a
    suppression must never be lost because the number on file is odd, and the same odd string still matches.
    """
    raw = (phone or "").strip()
    if not raw:
        return ""
    try:
        parsed = phonenumbers.parse(raw, settings.REX_PII_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return re.sub(r"\s+", "", raw)
    if not phonenumbers.is_possible_number(parsed):
        return re.sub(r"\s+", "", raw)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def is_suppressed(organization: Organization, *, email: str = "", phone: str = "") -> bool:
    """Whether the email or the phone (either is enough) is on the organization's suppression list."""
    email, phone = normalize_email(email), normalize_phone(phone)
    if not email and not phone:
        return False
    rows = Suppression.objects.filter(organization=organization)
    if email and rows.filter(email=email).exists():
        return True
    return bool(phone) and rows.filter(phone=phone).exists()


def suppress(organization: Organization, *, email: str = "", phone: str = "", contact: Contact | None = None,
             reason: str, source: str) -> list[Suppression]:
    """Put the email and/or phone on the suppression list, and, when a contact is known, its email and phone too.

    Returns one row per channel value (the existing row when it was already suppressed: its first reason is
    kept, that is when the person first asked). Safe to call concurrently and repeatedly.
    """
    if reason not in Suppression.Reason.values:
        raise ValueError(f"unknown suppression reason {reason!r}; one of {', '.join(Suppression.Reason.values)}")
    emails = {normalize_email(email)}
    phones = {normalize_phone(phone)}
    if contact is not None:
        if contact.organization_id != organization.pk:
            raise ValueError("the contact belongs to another organization")
        emails.add(normalize_email(contact.email))
        phones.add(normalize_phone(contact.phone))
    emails.discard("")
    phones.discard("")
    if not emails and not phones:
        raise ValueError("nothing to suppress: give an email, a phone or a contact that has one")

    rows: list[Suppression] = []
    defaults = {"contact": contact, "reason": reason, "source": source[:200]}
    for value in sorted(emails):
        rows.append(_get_or_create(organization, defaults, email=value))
    for value in sorted(phones):
        rows.append(_get_or_create(organization, defaults, phone=value))
    # Apps above (campaigns: the person's sequences stop at once) hear of it in the caller's transaction, so a
    # suppression and its consequences commit together.
    for name in SUPPRESSION_LISTENERS:
        SUPPRESSION_LISTENERS[name](organization, emails, phones, reason, source)
    return rows


def _get_or_create(organization: Organization, defaults: dict, **lookup: str) -> Suppression:
    # get_or_create already retries the read after losing an insert race; the savepoint keeps a caller's
    # surrounding transaction usable if the race is lost in an unexpected way (a conflict on the other channel).
    try:
        with transaction.atomic():
            row, _ = Suppression.objects.get_or_create(organization=organization, **lookup, defaults=defaults)
    except IntegrityError:
        row = Suppression.objects.get(organization=organization, **lookup)
    return row


def sms_stop_keyword(text: str) -> bool:
    """Whether an inbound SMS is an opt-out: the whole message is one keyword, ignoring case, spaces, punctuation."""
    return _EDGE_NOISE.sub("", text or "").upper() in SMS_STOP_KEYWORDS
