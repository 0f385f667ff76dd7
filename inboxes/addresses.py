"""One person's address, in one form: how an email or a phone number is normalised, and its digest.

The suppression list matches on the digest (SHA-256 of the normalised value), not on the plaintext, so that an
entry whose plaintext was erased on request (GDPR Art. 17, ``privacy``) still refuses every later send and
import of the same address. It lives apart from ``inboxes.suppression`` so that the model can use it too.
"""

from __future__ import annotations

import hashlib
import re

import phonenumbers
from django.conf import settings


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


def digest(normalized: str) -> str:
    """SHA-256 (hex) of an already normalised address; empty for an empty one, so "no address" never matches."""
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest() if normalized else ""


def email_digest(email: str) -> str:
    return digest(normalize_email(email))


def phone_digest(phone: str) -> str:
    return digest(normalize_phone(phone))
