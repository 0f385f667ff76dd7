"""Whose data a text carries, and whether they consented to LLM processing: the contacts a text names.

A command typed by an operator, or a reply a contact wrote, may name other people by their e-mail address or
phone number. Before such a text goes to an LLM, every contact it names must have consented
(``llm_consent``): ``contacts_named_in`` reads the addresses and numbers in the text with the PII detector and
asks the contact finders which contacts they are.

Contacts live in an app above this one (campaigns), so it registers a finder here at start-up
(``register_contact_finder``), as it registers its contact lookup for unsubscribe links; this package never
imports it. With no finder registered no text names a contact: the caller's own consent rule then stands alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from core.registry import Registry

if TYPE_CHECKING:
    from tenants.models import Organization


@dataclass(frozen=True)
class NamedContact:
    """A contact a text names: how it names them, their consent, and their own values to pseudonymise."""

    # The e-mail address or E.164 number the text names the contact by (what a refusal may quote to the operator
    # who typed it; never sent to an LLM).
    named_as: str
    llm_consent: bool
    # Their name, e-mail, phone, company … by PII type: known values, so the detector finds "Jane" alone too.
    known_values: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


# ``finder(organization, emails, phones)`` → the organization's contacts with one of these (lower-case) e-mail
# addresses or E.164 phone numbers.
ContactFinder = Callable[["Organization", frozenset[str], frozenset[str]], Iterable[NamedContact]]
_finders: Registry[ContactFinder] = Registry("contact finder")


def register_contact_finder(name: str, finder: ContactFinder) -> None:
    """Called by the app that owns contacts, in its ``AppConfig.ready``."""
    _finders.register(name, finder)


@dataclass(frozen=True)
class NamedContacts:
    """The contacts some texts name, and what that means for an LLM call."""

    contacts: tuple[NamedContact, ...] = ()

    @property
    def without_consent(self) -> tuple[NamedContact, ...]:
        return tuple(contact for contact in self.contacts if not contact.llm_consent)

    @property
    def consent(self) -> bool:
        """True when every named contact consented (and so when the texts name none: no contact's data is in them)."""
        return not self.without_consent

    def known_values(self) -> dict[str, list[str]]:
        """The named contacts' own values by PII type, merged: what the gateway should pseudonymise wherever it
        appears (a consenting contact's name may be in the text as well as their address)."""
        merged: dict[str, set[str]] = {}
        for contact in self.contacts:
            for typ, values in contact.known_values.items():
                merged.setdefault(typ, set()).update(value for value in values if value)
        return {typ: sorted(values) for typ, values in merged.items() if values}

    def refused_as(self) -> str:
        """How the texts name the contacts without consent, for a refusal the operator can act on."""
        return ", ".join(sorted({contact.named_as for contact in self.without_consent}))


# "jane [at] acme [dot] de", "jane (at) acme (dot) de", "jane at acme dot de": the forms the detector accepts.
_OBFUSCATED_AT_RE = re.compile(r"\s*[\[(]?\s*\bat\b\s*[\])]?\s*", re.IGNORECASE)
_OBFUSCATED_DOT_RE = re.compile(r"\s*[\[(]?\s*\bdot\b\s*[\])]?\s*", re.IGNORECASE)


def _email_address(found: str) -> str:
    address = found.strip().lower()
    if "@" not in address:
        address = _OBFUSCATED_DOT_RE.sub(".", _OBFUSCATED_AT_RE.sub("@", address, count=1))
    return "".join(address.split())


def _e164(found: str, region: str) -> str | None:
    import phonenumbers

    try:
        number = phonenumbers.parse(found, region)
    except phonenumbers.NumberParseException:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def contact_data_in(*texts: str, region: str | None = None) -> tuple[frozenset[str], frozenset[str]]:
    """The e-mail addresses (lower-case) and phone numbers (E.164) the detector finds in ``texts``."""
    from agents.pii import default_region, detect

    region = (region or default_region()).upper()
    emails: set[str] = set()
    phones: set[str] = set()
    for text in texts:
        if not text:
            continue
        for span in detect(text):
            found = text[span.start:span.end]
            if span.type == "EMAIL":
                emails.add(_email_address(found))
            elif span.type == "PHONE":
                number = _e164(found, region)
                if number:
                    phones.add(number)
    return frozenset(emails), frozenset(phones)


def contacts_named_in(organization: Organization, *texts: str) -> NamedContacts:
    """The organization's contacts that ``texts`` name by e-mail address or phone number, with their consent."""
    if not _finders.entries:
        return NamedContacts()
    emails, phones = contact_data_in(*texts)
    if not emails and not phones:
        return NamedContacts()
    found: list[NamedContact] = []
    for name in _finders:
        found.extend(_finders[name](organization, emails, phones))
    return NamedContacts(tuple(found))
