"""Numbers that only look like PII (order numbers, dates, prices, versions, ...) are left alone."""

# ruff: noqa: RUF001 -- full-width digits and typographic dashes are test input here

import pytest

from agents.pii import detect


@pytest.mark.parametrize("text", [
    "Order #4532-1188-0093 shipped.",
    "Order # 4111 1111 1111 1111 was cancelled.",
    "order no. 112-4567890-1234567 is on its way",
    "Invoice INV-2024-00123, invoice no. 4155550132.",
    "Bestellnummer 2024-118-4471, Kundennummer 0301234567, Rechnung Nr. 4711-0815.",
    "commande n° 45821093 et référence 0612345678",
    "El Pedido n.º 917384708 ya salió; fattura n. 040980/2021.",
    "Customer ID 8004412345, PO 4500123456, SKU 123-456-7890",
    "Tracking: UPS 1Z999AA10123456784, FedEx 7946 1234 5678, DHL 1234567890",
    "ISBN 978-3-16-148410-0 and ISBN-10: 0-306-40615-2, also 978-0-596-52068-7",
    "Meeting on 2024-03-15, 15/03/2024, 15.03.2024 and 03/15/2024 at 14:30 or 14:30:15",
    "from 15.03.2024 – 16.03.2024, or 2024-03-15 - 2024-03-20",
    "Prices: $1,299.00, 1.299,00 €, € 49,90, £2,450, R$ 1.234,56, 12 500 000 EUR, CHF 1'250.00",
    "Build 10.0.19045.3930, Chrome 122.0.6261.94, version 1.2.3.4, v2.14.3, firmware 2.1.0.12, OID 1.3.6.1.4.1",
    "Postcodes 10115 Berlin, 75002 Paris, SW1A 1AA, 1012 AB Amsterdam, CEP 01310-100, 〒100-0005",
    "Ref 4111 1111 1111 1112 failed the Luhn check",
    "IBAN DE12 3456 7890 1234 5678 90 (checksum failed)",
    "GB00NWBK60161331926819 is not a valid IBAN",
    "SSN-shaped but invalid: 000-12-3456, 666-12-3456, 912-34-5678, 123-00-4567, 123-45-0000",
    "Part no. 123-45-6789",
    "times 12:30:45, MAC 00:1A:2B:3C:4D:5E, std::vector<int>, ratio 16:9",
    "uuid 550e8400-e29b-41d4-a716-446655440000, commit 1f3a9c2d",
    "@jane_doe on Twitter, user@localhost, pkg@1.2.3",
    "card ending in 1234, **** **** **** 4242, XXXX-XXXX-XXXX-4242",
    "SIRET 732 829 320 00074, VAT DE123456789, Steuernummer 12/345/67890, ABN 51 824 753 556",
    "IMEI 490154203237518, ICCID 8944 1234 5678 9012 3452",
    "We grew reply rates by 23% across 1,200+ campaigns in Q3 2024 (24/7 support, 3-5 days).",
])
@pytest.mark.parametrize("region", ["US", "DE", "FR", "IN"])
def test_nothing_is_flagged(text: str, region: str) -> None:
    assert detect(text, region=region) == []


def test_a_real_phone_next_to_a_false_friend_is_still_found() -> None:
    text = "Order #4532-1188-0093: please call me on +1 415 555 0132 before 2024-03-15."
    assert [text[s.start:s.end] for s in detect(text)] == ["+1 415 555 0132"]


def test_a_phone_word_rescues_a_number_after_no() -> None:
    text = "Tel. no. 0301234567"
    assert [text[s.start:s.end] for s in detect(text, region="DE")] == ["0301234567"]
