"""Importing contacts from a CSV file onto a list: every row checked first, then all written or nothing.

``import_contacts`` is what the API (``POST /api/contacts/import``), the admin's "Import contacts from CSV" page
and ``manage.py rex_import_contacts`` call. Reading and checking the file is ``campaigns.contact_csv``; this module
decides what is written:

- any row with an error: nothing is written (not even a new list), and the report names every row, field and reason;
- the same email twice in the file: the first row is imported, later ones are reported as ``duplicates_in_file``;
- an email the organization already has: that contact is added to the list and its data left untouched (a CSV
  never overwrites what someone may have corrected by hand), counted as ``existing``;
- a suppressed email or phone: imported like any other, counted as ``suppressed``; sends check the suppression
  list, so such a contact is never written to.

Every new contact records where it came from (GDPR Art. 14): ``csv:<file> row <n> by <actor>``. The number of
queries does not grow with the rows (bulk inserts, lookups by ``IN`` in chunks of ``CHUNK``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO

from django.db import transaction
from django.db.models import Q
from django.utils.text import slugify

from campaigns.contact_csv import (
    HEADER_ROW,
    MAX_BYTES,
    MAX_ROWS,
    ContactRow,
    RowError,
    normalize_field_name,
    read_contacts_csv,
)
from campaigns.models import Contact, ContactList
from inboxes.suppression import suppressed_among
from tenants.models import Organization

__all__ = ["MAX_ROWS", "ImportReport", "RowError", "import_contacts", "normalize_field_name", "resolve_list"]

CHUNK = 5_000
ERRORS_IN_ONE_LINE = 3
SOURCE_MAX = Contact._meta.get_field("source").max_length
LIST_NAME_MAX = ContactList._meta.get_field("name").max_length


@dataclass
class ImportReport:
    list: str
    rows: int = 0
    created: int = 0
    existing: int = 0
    duplicates_in_file: list[dict[str, int]] = field(default_factory=list)
    suppressed: int = 0
    errors: list[RowError] = field(default_factory=list)
    encoding: str = "utf-8"
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def imported(self) -> int:
        """Contacts now on the list because of this file (new and existing alike)."""
        return self.created + self.existing

    @property
    def rows_with_errors(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        if not self.ok:
            return self.refusal()
        parts = [f"{self.created} created", f"{self.existing} already known (left as they were)"]
        if self.duplicates_in_file:
            parts.append(f"{len(self.duplicates_in_file)} duplicate row(s) in the file skipped")
        if self.suppressed:
            parts.append(f"{self.suppressed} suppressed (kept, never sent to)")
        return f"{self.imported} contact(s) from {self.rows} row(s) on list {self.list!r}: " + ", ".join(parts)

    def _file_refused(self) -> bool:
        """Only the file or its header is wrong (empty, no email column…): no data row was judged."""
        return all(e.row == HEADER_ROW for e in self.errors)

    def refusal(self) -> str:
        if self._file_refused():
            more = len(self.errors) - 1
            return f"nothing was imported: {self.errors[0].reason}" + (f" (and {more} more)" if more else "")
        n = self.rows_with_errors
        return f"nothing was imported: {n} row{'s have' if n != 1 else ' has'} errors"

    def refusal_line(self) -> str:
        """The refusal and the first few errors: "…: 2 rows have errors: row 3, email: 'x' is not an email address; …"."""
        if self._file_refused():
            return self.refusal()
        shown = "; ".join(str(e) for e in self.errors[:ERRORS_IN_ONE_LINE])
        more = len(self.errors) - ERRORS_IN_ONE_LINE
        return f"{self.refusal()}: {shown}" + (f" (and {more} more)" if more > 0 else "")

    def as_dict(self) -> dict[str, object]:
        return {
            "ok": self.ok, "list": self.list, "rows": self.rows, "imported": self.imported, "created": self.created,
            "existing": self.existing, "duplicates_in_file": self.duplicates_in_file, "suppressed": self.suppressed,
            "errors": [e.as_dict() for e in self.errors], "encoding": self.encoding, "warnings": self.warnings,
        }


def resolve_list(organization: Organization, contact_list: ContactList | str) -> ContactList:
    """The organization's list named or slugged ``contact_list``; a new, unsaved list when there is none.

    Raises ValueError for another organization's list or a name that cannot be a list's (empty, too long).
    """
    if isinstance(contact_list, ContactList):
        if contact_list.organization_id != organization.pk:
            raise ValueError(f"list {contact_list.slug!r} belongs to another organization")
        return contact_list
    name = (contact_list or "").strip()
    slug = slugify(name)
    if not slug:
        raise ValueError(f"{name!r} cannot name a list: use letters or digits")
    if len(name) > LIST_NAME_MAX:
        raise ValueError(f"a list name has at most {LIST_NAME_MAX} characters ({len(name)} given)")
    found = list(ContactList.objects.filter(organization=organization)
                 .filter(Q(slug=name) | Q(name__iexact=name) | Q(slug=slug)))
    # A slug typed exactly wins over a name, which wins over a name that slugifies the same.
    for matches in (lambda c: c.slug == name, lambda c: c.name.lower() == name.lower(), lambda c: True):
        for candidate in found:
            if matches(candidate):
                return candidate
    return ContactList(organization=organization, name=name, slug=slug)


def import_contacts(organization: Organization, contact_list: ContactList | str, file: bytes | str | IO,
                    *, filename: str, actor: str, default_region: str | None = None) -> ImportReport:
    """Import the CSV ``file`` onto ``contact_list`` (a list, or a list's name or slug: created when new).

    All or nothing: when any row has an error nothing at all is written and the report lists every error.
    Existing contacts (same email, any case) are added to the list but never changed. Phone numbers need a
    country code unless ``default_region`` ("GB", "US") says which country national numbers are from.
    Raises ValueError only for an unusable list (see ``resolve_list``); problems in the file are in the report.
    """
    target = resolve_list(organization, contact_list)
    read = read_contacts_csv(_read_bytes(file), default_region=default_region)
    report = ImportReport(list=target.slug, rows=read.rows_read, errors=read.errors, encoding=read.encoding,
                          warnings=read.warnings)
    if not report.ok:
        return report
    unique, report.duplicates_in_file = _dedupe(read.rows)
    emails = [row.email for row in unique]
    source_name = re.split(r"[\\/]", filename)[-1] or "upload"
    with transaction.atomic():
        if target.pk is None:
            target, _ = ContactList.objects.get_or_create(organization=organization, slug=target.slug,
                                                          defaults={"name": target.name})
        known = set(_ids_by_email(organization, emails))
        new = [_new_contact(organization, row, source=_source(source_name, row.row, actor))
               for row in unique if row.email not in known]
        # ignore_conflicts: an import of the same address running at the same moment has created it; it is
        # then found by the look-up below and joins the list like any existing contact.
        Contact.objects.bulk_create(new, batch_size=1_000, ignore_conflicts=True)
        ids = _ids_by_email(organization, emails)
        through = Contact.lists.through
        through.objects.bulk_create([through(contact_id=pk, contactlist_id=target.pk) for pk in ids.values()],
                                    batch_size=CHUNK, ignore_conflicts=True)
        report.suppressed = _suppressed(organization, unique)
    report.list = target.slug
    report.created = len(new)
    report.existing = len(unique) - len(new)
    return report


def _read_bytes(file: bytes | str | IO) -> bytes:
    if isinstance(file, bytes | bytearray):
        return bytes(file)
    # Read one byte past the limit, so an oversized upload is refused without holding all of it in memory.
    content = file if isinstance(file, str) else file.read(MAX_BYTES + 1)
    return content.encode("utf-8") if isinstance(content, str) else bytes(content)


def _dedupe(rows: Iterable[ContactRow]) -> tuple[list[ContactRow], list[dict[str, int]]]:
    first_row: dict[str, int] = {}
    unique: list[ContactRow] = []
    duplicates: list[dict[str, int]] = []
    for row in rows:
        if row.email in first_row:
            duplicates.append({"row": row.row, "duplicate_of": first_row[row.email]})
        else:
            first_row[row.email] = row.row
            unique.append(row)
    return unique, duplicates


def _chunks(values: list[str]) -> Iterator[list[str]]:
    for start in range(0, len(values), CHUNK):
        yield values[start:start + CHUNK]


def _ids_by_email(organization: Organization, emails: list[str]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for chunk in _chunks(emails):
        ids.update(Contact.objects.filter(organization=organization, email__in=chunk).values_list("email", "pk"))
    return ids


def _suppressed(organization: Organization, rows: list[ContactRow]) -> int:
    # By digest (inboxes.suppression.suppressed_among): an erased person imported again still counts as suppressed.
    # Rows already hold the email lower-case and the phone in E.164, the forms the digests were taken of.
    emails, phones = suppressed_among(organization.pk, emails={r.email for r in rows},
                                      phones={r.phone for r in rows if r.phone})
    return sum(1 for r in rows if r.email in emails or (r.phone and r.phone in phones))


def _source(filename: str, row: int, actor: str) -> str:
    tail = f" row {row} by {actor[:100]}"
    return f"csv:{filename[:SOURCE_MAX - len('csv:') - len(tail)]}{tail}"


def _new_contact(organization: Organization, row: ContactRow, *, source: str) -> Contact:
    return Contact(organization=organization, email=row.email, phone=row.phone, first_name=row.first_name,
                   last_name=row.last_name, company=row.company, timezone=row.timezone,
                   sms_consent_at=row.sms_consent_at, sms_consent_source=row.sms_consent_source,
                   custom_fields=row.custom_fields, source=source)
