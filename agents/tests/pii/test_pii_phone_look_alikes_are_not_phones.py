"""Loosening phone detection to possible numbers must not take what only looks like one: dates, order numbers,
prices, IBAN and card digits, versions, postcodes and times stay unflagged (or flagged as their own type)."""

import pytest

from agents.pii import detect


def types_of(text: str, region: str | None = None) -> list[str]:
    return [s.type for s in detect(text, region=region, names=False)]


@pytest.mark.parametrize("text", [
    "Delivered on 12.03.2024 and invoiced 2024-03-15.",
    "Termin am 03.11.2025 \u2013 05.11.2025.",
    "Meeting 11/03/2025 10:30.",
])
def test_dates_are_not_phones(text: str) -> None:
    assert "PHONE" not in types_of(text, "DE")


@pytest.mark.parametrize("text", [
    "Order #123-456-7890 shipped.", "Bestellung 0301 234 5678 ist unterwegs.", "El expediente 736-709-229 sigue.",
    "Bestelling #013 684 7907 is verzonden.", "Ticket 4433-2211 is closed.",
])
def test_order_and_reference_numbers_are_not_phones(text: str) -> None:
    assert "PHONE" not in types_of(text)


@pytest.mark.parametrize("text", [
    "Total: 1 299 000 €.", "Budget EUR 120 450 for Q3.", "Price 9 500 000 CHF.", "It costs $1,234,567.00.",
])
def test_prices_are_not_phones(text: str) -> None:
    assert "PHONE" not in types_of(text, "FR")


@pytest.mark.parametrize(("text", "kind"), [
    ("IBAN DE89 3704 0044 0532 0130 00", "IBAN"),
    ("Card 4111 1111 1111 1111 on file.", "CREDIT_CARD"),
    ("Le numéro de carte 3056 4199 5609 85 est invalide.", None),
    ("USt-IdNr. DE 123 456 789.", None),
    ("CCC 6041 2918 96 3056332504.", None),
])
def test_bank_and_card_digits_are_never_phones(text: str, kind: str | None) -> None:
    assert types_of(text, "DE") == ([kind] if kind else [])


@pytest.mark.parametrize("text", ["Please upgrade to 10.0.19045.3930 now.", "Release 2025.10.1 is out.",
                                  "Version 4.18.2 fixes it."])
def test_versions_are_not_phones(text: str) -> None:
    assert "PHONE" not in types_of(text)


@pytest.mark.parametrize(("text", "region"), [
    ("Ship to 75011 Paris.", "FR"), ("CEP 01310-100, São Paulo.", "BR"), ("SW1A 2AA London", "GB"),
    ("1012 AB Amsterdam", "NL"), ("ZIP 94105-1234", "US"), ("Postal code 530-0001", "US"),
])
def test_postcodes_are_not_phones(text: str, region: str) -> None:
    assert "PHONE" not in types_of(text, region)


@pytest.mark.parametrize("text", ["Open 09.30 - 17.30 daily.", "Geöffnet 8.00-12.00 Uhr.", "Lands at 14:30."])
def test_times_are_not_phones(text: str) -> None:
    assert "PHONE" not in types_of(text, "DE")
