"""Phone numbers as Twilio and the law see them: strict E.164, US long codes, the recipient's zone.

Pure functions over ``phonenumbers`` (Google's libphonenumber metadata), no queries.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import phonenumbers

from campaigns.windows import resolve_zone

# Sender numbers that carriers treat as US long codes (10-digit numbers of the NANP's US region) need an A2P 10DLC
# campaign; toll-free numbers and short codes have their own registrations and are not 10DLC.
_NOT_LONG_CODES = (phonenumbers.PhoneNumberType.TOLL_FREE, phonenumbers.PhoneNumberType.PREMIUM_RATE,
                   phonenumbers.PhoneNumberType.SHARED_COST)


def e164_problem(value: str) -> str | None:
    """Why ``value`` is not an E.164 number ("+" then the country code and number, digits only), or None."""
    raw = value or ""
    if not raw.startswith("+") or not raw[1:].isdigit():
        return f"{raw!r} is not an E.164 phone number: write + then the country code and the number, digits only " \
               "(e.g. +14155550123)"
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException as exc:
        return f"{raw!r} is not an E.164 phone number: {exc}"
    if not phonenumbers.is_valid_number(number):
        return f"{raw!r} is not a valid phone number in any numbering plan"
    if phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164) != raw:
        return f"{raw!r} is not in E.164 form (did you mean {phonenumbers.format_number(number, 0)}?)"
    return None


def to_e164(value: str) -> str | None:
    """``value`` as an E.164 number when it is a valid phone number written in any international form, else None."""
    try:
        number = phonenumbers.parse((value or "").strip(), None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def country_of(e164: str) -> str:
    """The ISO region (``US``, ``GB``…) of a valid E.164 number, "" when unknown."""
    try:
        return phonenumbers.region_code_for_number(phonenumbers.parse(e164, None)) or ""
    except phonenumbers.NumberParseException:
        return ""


def is_us_long_code(e164: str) -> bool:
    """Whether carriers treat this sender as a US 10-digit long code (A2P 10DLC registration required)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return False
    return (phonenumbers.region_code_for_number(number) == "US"
            and phonenumbers.number_type(number) not in _NOT_LONG_CODES)


def recipient_zone(contact_timezone: str, phone: str, now: datetime) -> ZoneInfo | None:
    """The recipient's zone: the contact's own, else the one its number's country or area code settles; None when
    neither tells (a country over several zones whose clocks disagree now): such a contact is not texted."""
    zone, source = resolve_zone(contact_timezone, phone, "UTC", now=now)
    return None if source == "campaign" else zone
