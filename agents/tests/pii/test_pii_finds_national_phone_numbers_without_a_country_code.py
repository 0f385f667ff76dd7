"""National phone formats without a country code are found: in the region the caller gives, and, without one,
in the countries the text itself points to (its language, its country domains, its other numbers)."""

import pytest

from agents.pii import detect


def phones(text: str, region: str | None = None) -> list[str]:
    return [text[s.start:s.end] for s in detect(text, region=region, names=False) if s.type == "PHONE"]


@pytest.mark.parametrize(("text", "number", "region"), [
    ("Call me on 07700 900 123 after lunch.", "07700 900 123", "GB"),
    ("Vous pouvez me joindre au 01.23.45.67.89 demain.", "01.23.45.67.89", "FR"),
    ("Bel me gerust op 0471 23 45 67.", "0471 23 45 67", "BE"),
    ("Erreichbar unter +41 (0)44 668 18 00.", "+41 (0)44 668 18 00", "CH"),
    ("Bel me op 06-12345678 of 020 123 4567.", "06-12345678", "NL"),
    ("Llámeme al 612 34 56 78, por favor.", "612 34 56 78", "ES"),
    ("Give us a ring on 0412 345 678.", "0412 345 678", "AU"),
    ("Ligue para (11) 96123-4567 amanhã.", "(11) 96123-4567", "BR"),
    ("Rufen Sie mich unter 030 12345678 an.", "030 12345678", "DE"),
])
def test_a_national_number_is_found_in_its_region(text: str, number: str, region: str) -> None:
    assert number in phones(text, region)


@pytest.mark.parametrize(("text", "number"), [
    ("Bonjour, vous pouvez me joindre au 01 23 45 67 89 pour la suite.", "01 23 45 67 89"),
    ("Hallo, Sie erreichen mich unter 0171 2345678 und per E-Mail.", "0171 2345678"),
    ("Hoi, je kunt me bellen op 06 1234 5678 en ik ben er de hele dag.", "06 1234 5678"),
    ("Thanks for the call, my mobile is 07700 900 123 if you need me.", "07700 900 123"),
    ("Write to lena@example.de or call (0221) 4711 0815.", "(0221) 4711 0815"),
])
def test_without_a_region_the_text_tells_which_country_it_writes(text: str, number: str) -> None:
    assert phones(text) == [number]  # the default region is US; the text says otherwise
