"""The record's own name, company and street address are found wherever the text mentions them, however it
spells them, and nowhere else."""

import pytest

from agents.pii import detect, pseudonymise

KNOWN = {
    "PERSON": ["Jane Doe"],
    "ORGANIZATION": ["Acme Logistics GmbH"],
    "STREET_ADDRESS": ["12 Rue de la Paix"],
}


def mentions(text: str, known: dict[str, list[str]] = KNOWN) -> list[tuple[str, str]]:
    # The names stage (other people's names) is off: these tests are about what the record's own values match.
    return [(s.type, text[s.start:s.end]) for s in detect(text, known_values=known, names=False)]


@pytest.mark.parametrize(("text", "expected"), [
    ("Hi Jane,", [("PERSON", "Jane")]),
    ("Dear Ms. Doe, thanks.", [("PERSON", "Doe")]),
    ("JANE DOE called.", [("PERSON", "JANE DOE")]),
    ("jane doe called.", [("PERSON", "jane doe")]),
    ("Jane   Doe\nand Jane\nDoe", [("PERSON", "Jane   Doe"), ("PERSON", "Jane\nDoe")]),
    ("Doe, Jane (lead)", [("PERSON", "Doe, Jane")]),
    ("J. Doe signed.", [("PERSON", "J. Doe")]),
    ("Jane's deal with Acme Logistics GmbH", [("PERSON", "Jane"), ("ORGANIZATION", "Acme Logistics GmbH")]),
    ("ACME LOGISTICS GMBH and acme logistics", [("ORGANIZATION", "ACME LOGISTICS GMBH"),
                                                ("ORGANIZATION", "acme logistics")]),
    ("Ship to 12 rue de la Paix, 75002 Paris", [("STREET_ADDRESS", "12 rue de la Paix")]),
    ("Ship to 12  Rue de la\nPaix.", [("STREET_ADDRESS", "12  Rue de la\nPaix")]),
])
def test_the_record_is_found_however_the_text_writes_it(text: str, expected: list[tuple[str, str]]) -> None:
    assert mentions(text) == expected


@pytest.mark.parametrize("text", [
    "Janet and Doerte are other people.",
    "the jane street and doe deer",  # parts alone count only when written as a name (capitalised)
    "Acmeology is another company; rue is a word.",
])
def test_lookalikes_and_common_words_are_not_the_record(text: str) -> None:
    assert mentions(text) == []


def test_names_are_found_with_or_without_their_accents_and_particles() -> None:
    known = {"PERSON": ["Jürgen von Brandt"], "STREET_ADDRESS": ["Hauptstraße 5"],
             "ORGANIZATION": ["Müller & Söhne GmbH & Co. KG"]}
    text = ("Herr von Brandt (Juergen), JURGEN VON BRANDT, Müller & Söhne, "
            "Hauptstr. 5 oder HAUPTSTRASSE 5")
    assert mentions(text, known) == [
        ("PERSON", "von Brandt"), ("PERSON", "Juergen"), ("PERSON", "JURGEN VON BRANDT"),
        ("ORGANIZATION", "Müller & Söhne"), ("STREET_ADDRESS", "Hauptstr. 5"), ("STREET_ADDRESS", "HAUPTSTRASSE 5")]


def test_cjk_text_without_spaces_still_finds_the_record() -> None:
    known = {"PERSON": ["山田 太郎"], "ORGANIZATION": ["株式会社サクラ"]}
    text = "山田様、サクラ様の件です。山田 太郎"
    assert mentions(text, known) == [("PERSON", "山田"), ("ORGANIZATION", "サクラ"), ("PERSON", "山田 太郎")]


def test_a_name_inside_an_email_address_is_part_of_the_address_not_a_separate_name() -> None:
    text = "Write to jane.doe@acme-logistics.de, Jane."
    assert mentions(text) == [("EMAIL", "jane.doe@acme-logistics.de"), ("PERSON", "Jane")]


def test_known_values_of_the_structured_types_are_matched_literally_too() -> None:
    assert mentions("ref X-99 is the customer", {"US_SSN": ["X-99"]}) == [("US_SSN", "X-99")]


def test_pseudonymised_text_keeps_nothing_of_the_record() -> None:
    masked, pseudonyms = pseudonymise(
        "Hi Jane, about Acme Logistics' office at 12 Rue de la Paix: Ms. Doe agreed.", known_values=KNOWN)
    assert masked == ("Hi <PERSON_1>, about <ORGANIZATION_1>' office at <STREET_ADDRESS_1>: Ms. <PERSON_2> agreed.")
    assert pseudonyms.restore(masked).startswith("Hi Jane, about Acme Logistics' office at 12 Rue de la Paix")


def test_an_unknown_type_in_known_values_is_an_error() -> None:
    with pytest.raises(ValueError, match="unknown PII type"):
        detect("x", known_values={"NAME": ["Jane"]})
