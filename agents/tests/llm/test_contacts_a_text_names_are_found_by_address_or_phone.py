"""``contacts_named_in`` finds the organization's contacts a text names by e-mail address (any case, also written
against scrapers) or phone number (any international format), with their LLM consent and their own values to
pseudonymise; another organization's contacts are never found, and without a registered finder nobody is."""

import pytest

from agents import llm
from campaigns.models import Contact
from tenants.models import Organization


@pytest.fixture
def jane(organization) -> Contact:
    return Contact.objects.create(organization=organization, email="jane.doe@globex.example", phone="+442079460958",
                                  first_name="Jane", last_name="Doe", company="Globex", llm_consent=False)


@pytest.mark.parametrize("text", [
    "write to Jane.Doe@Globex.example today",
    "write to jane.doe [at] globex [dot] example today",
    "ring +44 20 7946 0958",
    "ring +44 (0)20 7946 0958",
    "ring +442079460958",
])
def test_a_contact_is_found_however_the_text_writes_their_address_or_number(organization, jane, text):
    named = llm.contacts_named_in(organization, text)

    assert [c.named_as for c in named.contacts] == [jane.email if "@" in text or "[at]" in text else jane.phone]
    assert named.consent is False
    assert named.refused_as() == named.contacts[0].named_as


def test_consent_needs_every_named_contact_and_known_values_cover_them_all(organization, jane):
    Contact.objects.create(organization=organization, email="bob@initech.example", first_name="Bob",
                           llm_consent=True)

    named = llm.contacts_named_in(organization, "cc bob@initech.example", "and jane.doe@globex.example")

    assert sorted(c.named_as for c in named.contacts) == ["bob@initech.example", "jane.doe@globex.example"]
    assert named.consent is False
    assert named.refused_as() == "jane.doe@globex.example"
    assert named.known_values() == {"PERSON": ["Bob", "Jane Doe"], "EMAIL": ["bob@initech.example",
                                                                         "jane.doe@globex.example"],
                                    "PHONE": ["+442079460958"], "ORGANIZATION": ["Globex"]}


def test_a_text_naming_nobody_we_know_needs_no_ones_consent(organization, jane):
    other = Organization.objects.create(name="Globex", slug="globex")

    assert llm.contacts_named_in(organization, "write to someone@elsewhere.example").contacts == ()
    assert llm.contacts_named_in(other, "write to jane.doe@globex.example").consent is True


def test_without_a_registered_finder_no_text_names_a_contact(organization, jane, restore_registry):
    from agents.llm.contacts import _finders

    _finders.entries.clear()

    assert llm.contacts_named_in(organization, "write to jane.doe@globex.example").contacts == ()
