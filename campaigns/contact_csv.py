"""Reading a contacts CSV: decoding, the delimiter, the header's columns, and every row checked (nothing written).

``read_contacts_csv`` turns the bytes a person uploaded into ``ContactRow``s and ``RowError``s. It reads the whole
file and reports every problem it finds, so one upload shows all there is to fix; ``campaigns.contact_import``
decides what to write. Row numbers are those a spreadsheet shows: the header is row 1, the first contact row 2.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from zoneinfo import available_timezones

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone as django_timezone

from campaigns.models import Contact
from campaigns.templating import normalize_field_name  # one key for imports and templates
from inboxes.models import validate_timezone

MAX_ROWS = 50_000
# Enough for MAX_ROWS rows of a few hundred characters; the upload is read into memory whole.
MAX_BYTES = 32 * 1024 * 1024
DELIMITERS = (",", ";", "\t")
HEADER_ROW = 1

# Built-in fields and the header spellings read as them, compared after ``normalize_field_name``.
ALIASES: dict[str, tuple[str, ...]] = {
    "email": ("email", "email_address", "e_mail", "e_mail_address", "mail"),
    "first_name": ("first_name", "firstname", "first", "given_name", "forename"),
    "last_name": ("last_name", "lastname", "last", "surname", "family_name"),
    # "Account Name" is Salesforce's; a bare "Account" is often an id, so it stays a custom field.
    "company": ("company", "company_name", "organization", "organisation", "organization_name", "account_name"),
    "phone": ("phone", "phone_number", "mobile", "mobile_phone", "mobile_number", "cell", "telephone"),
    "timezone": ("timezone", "time_zone", "tz"),
    # SMS consent (sms/consent.py texts only a contact with both): when it was given and how.
    "sms_consent_at": ("sms_consent_at", "sms_consent_time", "sms_consent_date"),
    "sms_consent_source": ("sms_consent_source", "sms_consent_how"),
}
BUILT_IN = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
# Text fields only: the consent time is a date-time, checked by ``_consent`` instead.
MAX_LENGTHS = {name: Contact._meta.get_field(name).max_length for name in ALIASES if name != "sms_consent_at"}
EMAIL_REQUIRED = "an email address is required"
CONSENT_BOTH = ("SMS consent needs both sms_consent_at and sms_consent_source (when and how it was given), "
                "or neither")


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.field}: {self.reason}"

    def as_dict(self) -> dict[str, object]:
        return {"row": self.row, "field": self.field, "reason": self.reason}


@dataclass
class ContactRow:
    """One valid row: the built-in fields cleaned (email lower-case, phone E.164) and the custom fields kept."""

    row: int
    email: str
    phone: str = ""
    first_name: str = ""
    last_name: str = ""
    company: str = ""
    timezone: str = ""
    sms_consent_at: datetime | None = None
    sms_consent_source: str = ""
    custom_fields: dict[str, str] = field(default_factory=dict)


@dataclass
class ReadResult:
    rows: list[ContactRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    rows_read: int = 0
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)


def read_contacts_csv(data: bytes, *, default_region: str | None = None) -> ReadResult:
    result = ReadResult()
    if len(data) > MAX_BYTES:
        result.errors.append(RowError(HEADER_ROW, "file", f"the file is {len(data)} bytes; the limit is {MAX_BYTES}"))
        return result
    text = _decode(data, result)
    if text is None:
        return result
    if not text.strip():
        result.errors.append(RowError(HEADER_ROW, "file", "the file is empty: a header row and one row per contact "
                                                          "are needed"))
        return result
    records = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    try:
        _read_records(records, result, default_region)
    except csv.Error as exc:  # a NUL byte, say: the file is not a CSV at all
        result.errors.append(RowError(records.line_num or HEADER_ROW, "file", f"not a readable CSV file ({exc})"))
    return result


def _decode(data: bytes, result: ReadResult) -> str | None:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    else:
        result.encoding = "utf-8"
        return text
    # Excel on Windows saves "CSV" in the machine's code page; cp1252 is the usual one in the markets we serve.
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        result.errors.append(RowError(HEADER_ROW, "file", "the file is neither UTF-8 nor Windows-1252 text; save it "
                                                          "as CSV UTF-8"))
        return None
    result.encoding = "cp1252"
    result.warnings.append("the file is not UTF-8; it was read as Windows-1252 (check accented letters)")
    return text


def _sniff_delimiter(text: str) -> str:
    """The delimiter that splits the header into the most columns (a comma when none splits it).

    The header is the one line whose shape we know: csv.Sniffer guesses from data rows too, and picks a
    delimiter that happens to be regular in them (a "; " inside every address, say).
    """
    first_line = text.split("\n", 1)[0]
    widths = {d: len(next(csv.reader([first_line], delimiter=d), [])) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: widths[d])  # max keeps the first of equals: the comma
    return best if widths[best] > 1 else ","


def _read_records(records, result: ReadResult, default_region: str | None) -> None:
    header = next(records, [])
    columns = _columns(header, result.errors)
    if result.errors:
        return
    seen_rows = 0
    for number, record in enumerate(records, start=HEADER_ROW + 1):
        if not any(cell.strip() for cell in record):
            continue  # a blank line or a row of empty cells (a spreadsheet's trailing rows) is no contact
        seen_rows += 1
        if seen_rows > MAX_ROWS:
            result.errors.append(RowError(number, "file", f"more than {MAX_ROWS} contact rows; split the file"))
            return
        result.rows_read = seen_rows
        if len(record) != len(header):
            result.errors.append(RowError(number, "columns", f"has {len(record)} columns, the header has "
                                                             f"{len(header)}"))
            continue
        contact = _contact(number, columns, record, result.errors, default_region)
        if contact is not None:
            result.rows.append(contact)


def _columns(header: list[str], errors: list[RowError]) -> list[tuple[str, bool]]:
    """(key, built-in?) for each header cell; a column with no name has key "" and is skipped."""
    columns: list[tuple[str, bool]] = []
    taken: dict[str, str] = {}
    for cell in header:
        name = cell.strip()
        key = normalize_field_name(name)
        built_in = BUILT_IN.get(key)
        if name and not key:
            errors.append(RowError(HEADER_ROW, name, "this column name has no letters or digits to use as a key"))
        elif key and (built_in or key) in taken:
            errors.append(RowError(HEADER_ROW, built_in or key, f"two columns are read as {built_in or key!r}: "
                                                                f"{taken[built_in or key]!r} and {name!r}"))
        if key:
            taken[built_in or key] = name
        columns.append((built_in or key, built_in is not None))
    if not errors and "email" not in taken:
        errors.append(RowError(HEADER_ROW, "email", "the header has no email column (a column named Email, "
                                                    "E-mail or Email Address); the first row must be the header"))
    return columns


def _contact(number: int, columns: list[tuple[str, bool]], record: list[str], errors: list[RowError],
             default_region: str | None) -> ContactRow | None:
    found: list[RowError] = []
    contact = ContactRow(row=number, email="")
    for (key, built_in), cell in zip(columns, record, strict=True):
        value = cell.strip()
        if not value:
            continue  # empty custom values are not stored; an empty built-in is checked below
        if not key:
            found.append(RowError(number, "columns", f"a value ({value[:40]!r}) is in a column with no header"))
        elif not built_in:
            contact.custom_fields[key] = value
        elif key == "sms_consent_at":
            contact.sms_consent_at = _consent_time(number, value, found)
        elif len(value) > MAX_LENGTHS[key]:
            found.append(RowError(number, key, f"is {len(value)} characters long; at most {MAX_LENGTHS[key]} fit"))
        else:
            setattr(contact, key, value)
    contact.email = _email(number, contact.email, found)
    contact.phone = _phone(number, contact.phone, default_region, found)
    contact.timezone = _timezone(number, contact.timezone, found)
    _consent_pair(number, columns, record, contact, found)
    errors.extend(found)
    return None if found else contact


def _email(number: int, value: str, errors: list[RowError]) -> str:
    if not value:
        if not any(e.field == "email" for e in errors):  # a too-long address was reported already
            errors.append(RowError(number, "email", EMAIL_REQUIRED))
        return ""
    try:
        validate_email(value)
    except ValidationError:
        errors.append(RowError(number, "email", f"{value!r} is not an email address"))
    return value.lower()


def _phone(number: int, value: str, default_region: str | None, errors: list[RowError]) -> str:
    if not value:
        return ""
    # Without a default region a number must carry its country code: guessing one would file a UK mobile
    # under the US (and send SMS at the wrong hours, to the wrong person).
    try:
        parsed = phonenumbers.parse(value, default_region)
    except phonenumbers.NumberParseException:
        if not value.lstrip().startswith("+") and default_region is None:
            errors.append(RowError(number, "phone", f"{value!r} has no country code; write it as +<country code> "
                                                    "<number> (e.g. +44 7700 900123)"))
        else:
            errors.append(RowError(number, "phone", f"{value!r} is not a phone number"))
        return ""
    # Possible (the right length for its country), not "valid": with all-or-nothing imports, refusing a real number
    # from a range newer than phonenumbers' metadata would refuse the whole file.
    if not phonenumbers.is_possible_number(parsed):
        errors.append(RowError(number, "phone", f"{value!r} is not a phone number (wrong length for its country)"))
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


@cache
def _zones_by_lower_name() -> dict[str, str]:
    return {zone.lower(): zone for zone in available_timezones()}


def _timezone(number: int, value: str, errors: list[RowError]) -> str:
    if not value:
        return ""
    # Spreadsheets lower-case or re-case text freely; "europe/london" is still one zone.
    zone = _zones_by_lower_name().get(value.lower(), value)
    try:
        validate_timezone(zone)
    except ValidationError:
        errors.append(RowError(number, "timezone", f"{value!r} is not an IANA timezone (e.g. Europe/London)"))
        return ""
    return zone


def _consent_time(number: int, value: str, errors: list[RowError]) -> datetime | None:
    """An ISO-8601 date-time with its UTC offset, not in the future.

    The offset is required: a bare "2026-03-01 10:00" could be any of 26 hours, and consent is evidence whose
    time must hold up when a carrier or regulator asks.
    """
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        errors.append(RowError(number, "sms_consent_at", f"{value!r} is not an ISO-8601 date-time with an offset "
                                                         "(e.g. 2026-03-01T10:15:00+00:00)"))
        return None
    if moment.tzinfo is None or moment.utcoffset() is None:
        errors.append(RowError(number, "sms_consent_at", f"{value!r} has no UTC offset; add one "
                                                         "(e.g. 2026-03-01T10:15:00+00:00 or …Z)"))
        return None
    if moment > django_timezone.now():
        errors.append(RowError(number, "sms_consent_at", f"{value!r} is in the future: consent is recorded once "
                                                         "given"))
        return None
    return moment


def _consent_pair(number: int, columns: list[tuple[str, bool]], record: list[str], contact: ContactRow,
                  errors: list[RowError]) -> None:
    """Both consent cells filled or both empty: one without the other is no consent the SMS gate accepts."""
    filled = {key for (key, built_in), cell in zip(columns, record, strict=True)
              if built_in and key in ("sms_consent_at", "sms_consent_source") and cell.strip()}
    if len(filled) == 1:
        missing = ({"sms_consent_at", "sms_consent_source"} - filled).pop()
        errors.append(RowError(number, missing, CONSENT_BOTH))
        contact.sms_consent_at, contact.sms_consent_source = None, ""
