"""The suppression list: who must not be contacted again, on any channel.

``suppress`` is called by the unsubscribe page, the provider webhooks and the SMS STOP handling; ``is_suppressed``
by every send before it takes a slot. Emails are kept lower-case and phones in E.164, so one person is one row
per channel however the address was typed. Writing is idempotent (the unique constraints on the table decide): a
second unsubscribe, a replayed webhook or two at once leave one row each and never fail.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction

from core.registry import Registry
from inboxes.addresses import digest, email_digest, normalize_email, normalize_phone, phone_digest
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
# Digests per IN (...) query when many addresses are checked at once.
_CHUNK = 1000


def is_suppressed(organization: Organization, *, email: str = "", phone: str = "") -> bool:
    """Whether the email or the phone (either is enough) is on the organization's suppression list.

    Matched by digest, so an entry whose plaintext was erased (``privacy``) still counts.
    """
    email_hash, phone_hash = email_digest(email), phone_digest(phone)
    if not email_hash and not phone_hash:
        return False
    rows = Suppression.objects.filter(organization=organization)
    if email_hash and rows.filter(email_hash=email_hash).exists():
        return True
    return bool(phone_hash) and rows.filter(phone_hash=phone_hash).exists()


def suppressed_among(organization_id: int, *, emails: Iterable[str] = (), phones: Iterable[str] = ()
                     ) -> tuple[set[str], set[str]]:
    """Which of these emails and phones (normalised, as given) are suppressed: one query per channel and chunk,
    matched by digest like ``is_suppressed``. For imports and enrollments that check many at once."""
    found_emails: set[str] = set()
    found_phones: set[str] = set()
    rows = Suppression.objects.filter(organization_id=organization_id)
    for values, field, found in ((emails, "email_hash", found_emails), (phones, "phone_hash", found_phones)):
        by_hash = {digest(value): value for value in values if value}
        hashes = list(by_hash)
        for start in range(0, len(hashes), _CHUNK):
            chunk = hashes[start:start + _CHUNK]
            found.update(by_hash[h] for h in rows.filter(**{f"{field}__in": chunk}).values_list(field, flat=True))
    return found_emails, found_phones


def suppression_reason(organization_id: int, email: str) -> str | None:
    """The reason the email is suppressed (the first one recorded), or None when it is not."""
    email_hash = email_digest(email)
    if not email_hash:
        return None
    return (Suppression.objects.filter(organization_id=organization_id, email_hash=email_hash)
            .values_list("reason", flat=True).first())


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
    # Looked up by digest: a person whose plaintext was erased keeps that one row, and is not written back.
    for value in sorted(emails):
        rows.append(_get_or_create(organization, {**defaults, "email": value}, email_hash=digest(value)))
    for value in sorted(phones):
        rows.append(_get_or_create(organization, {**defaults, "phone": value}, phone_hash=digest(value)))
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
