"""redact_pii replaces values under PII field names wholesale, scans every other string, and never touches the
input."""

import copy

from pytest_django.fixtures import Settings

from agents.pii import redact_pii

RECORD = {
    "first_name": "Jane",
    "lastName": "Doe",
    "Email": "jane.doe@acme.com",
    "company": "Acme GmbH",
    "billing_address": {"street": "12 Rue de la Paix", "city": "Paris"},
    "phones": {"mobile": "+33 6 12 34 56 78", "office_phone": 33123456789, "label": "work"},
    "ssn": "536-22-1234",
    "client_ip": "203.0.113.7",
    "score": 87,
    "subscribed": True,
    "tags": ("vip", "fr"),
    "notes": "Jane asked (from jane.doe@acme.com) whether Acme can call her back on 06 12 34 56 78.",
    "history": [{"note": "Doe wants a quote", "amount": "1,299.00"}],
}


def test_configured_fields_become_placeholders_and_free_text_is_pseudonymised() -> None:
    before = copy.deepcopy(RECORD)
    redacted, pseudonyms = redact_pii(RECORD, consent=True)

    assert RECORD == before  # a new structure; the input is untouched
    assert redacted["first_name"] == "<PERSON_1>"
    assert redacted["lastName"] == "<PERSON_2>"  # camelCase keys match too
    assert redacted["Email"] == "<EMAIL_1>"
    assert redacted["company"] == "<ORGANIZATION_1>"
    assert redacted["billing_address"] == {"street": "<STREET_ADDRESS_1>", "city": "<STREET_ADDRESS_2>"}
    assert redacted["phones"] == {"mobile": "<PHONE_1>", "office_phone": "<PHONE_2>", "label": "work"}
    assert redacted["ssn"] == "<US_SSN_1>"
    assert redacted["client_ip"] == "<IP_ADDRESS_1>"
    assert redacted["score"] == 87 and redacted["subscribed"] is True
    assert redacted["tags"] == ("vip", "fr")
    # The values under PII fields are the record's known values for the free text beside them.
    assert redacted["notes"] == ("<PERSON_1> asked (from <EMAIL_1>) whether <ORGANIZATION_2> can call her back "
                                 "on <PHONE_3>.")
    assert redacted["history"] == [{"note": "<PERSON_2> wants a quote", "amount": "1,299.00"}]

    assert pseudonyms.restore(redacted["notes"]) == (
        "Jane asked (from jane.doe@acme.com) whether Acme can call her back on 06 12 34 56 78.")
    flat = repr(redacted)
    for secret in ("Jane", "Doe", "jane.doe", "Acme", "Paix", "536-22", "203.0.113", "12 34 56"):
        assert secret not in flat


def test_the_field_list_comes_from_settings_and_can_be_given_per_call(settings: Settings) -> None:
    settings.REX_PII_FIELDS = ["email"]
    # "jane" in lower case: not a field any more, and not a name the names stage takes for one either
    redacted, _ = redact_pii({"email": "a@b.co", "first_name": "jane", "notes": "x"}, consent=True)
    assert redacted == {"email": "<EMAIL_1>", "first_name": "jane", "notes": "x"}

    redacted, _ = redact_pii({"email": "a@b.co", "nickname": "JD"}, consent=True, fields=["nickname"])
    assert redacted == {"email": "<EMAIL_1>", "nickname": "<PERSON_1>"}  # the address is still found in text


def test_name_is_matched_exactly_but_other_fields_also_as_suffixes() -> None:
    redacted, _ = redact_pii(
        {"name": "Jane Doe", "product_name": "Warmup Pro", "contact_email": "j@acme.com"}, consent=True)
    assert redacted == {"name": "<PERSON_1>", "product_name": "Warmup Pro", "contact_email": "<EMAIL_1>"}


def test_known_values_and_an_existing_mapping_are_extended() -> None:
    redacted, pseudonyms = redact_pii(["Ask Bob Smith"], consent=True, known_values={"PERSON": ["Bob Smith"]})
    assert redacted == ["Ask <PERSON_1>"]
    again, same = redact_pii({"note": "Bob Smith again"}, consent=True, known_values={"PERSON": ["Bob Smith"]},
                             pseudonyms=pseudonyms)
    assert same is pseudonyms and again == {"note": "<PERSON_1> again"}


def test_strings_and_scalars_at_the_top_level_work_too() -> None:
    assert redact_pii("mail jane@acme.com", consent=True)[0] == "mail <EMAIL_1>"
    assert redact_pii(42, consent=True)[0] == 42
    assert redact_pii(None, consent=True)[0] is None
