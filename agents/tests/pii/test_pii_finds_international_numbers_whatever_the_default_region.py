"""National formats are read in the configured region; numbers with a country code are found from anywhere."""

from typing import Any

from pytest_django.fixtures import Settings

from agents.pii import detect, redact_pii


def phones(text: str, **kwargs: Any) -> list[str]:
    return [text[s.start:s.end] for s in detect(text, **kwargs) if s.type == "PHONE"]


def test_numbers_with_a_country_code_are_found_in_any_region(settings: Settings) -> None:
    text = "UK +44 20 7946 0958, DE 0049 30 1234567, FR +33 (0)1 23 45 67 89, JP +81-3-1234-5678, AU (+61) 2 9876 5432"
    expected = ["+44 20 7946 0958", "0049 30 1234567", "+33 (0)1 23 45 67 89", "+81-3-1234-5678", "(+61) 2 9876 5432"]
    for region in ("US", "DE", "JP", "BR"):
        settings.REX_PII_DEFAULT_REGION = region
        assert phones(text) == expected


def test_the_default_region_comes_from_settings(settings: Settings) -> None:
    text = "Zentrale: 030 1234567"
    settings.REX_PII_DEFAULT_REGION = "US"
    assert phones(text) == []  # not a valid US number
    settings.REX_PII_DEFAULT_REGION = "DE"
    assert phones(text) == ["030 1234567"]
    assert phones(text, region="US") == []  # an explicit region wins


def test_the_record_own_phone_tells_which_country_its_national_numbers_belong_to(settings: Settings) -> None:
    settings.REX_PII_DEFAULT_REGION = "US"
    record = {"mobile": "+33 6 12 34 56 78", "notes": "rappeler au 06 12 34 56 78 ou au 01 23 45 67 89"}
    redacted, _ = redact_pii(record, consent=True)
    # The national spelling of the mobile is another string, so it gets its own placeholder.
    assert redacted == {"mobile": "<PHONE_1>", "notes": "rappeler au <PHONE_2> ou au <PHONE_3>"}


def test_a_national_number_of_another_country_needs_a_phone_word_right_before_it() -> None:
    assert phones("UK office: call 020 7946 0958", region="US") == ["020 7946 0958"]
    assert phones("reference 020 7946 0958", region="US") == []
