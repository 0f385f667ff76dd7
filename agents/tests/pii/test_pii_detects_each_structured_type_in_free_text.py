"""Each structured PII type is found in running text, in the formats people actually write, with exact offsets."""

# ruff: noqa: RUF001 -- full-width digits and typographic dashes are test input here

from itertools import pairwise

import pytest

from agents.pii import Span, detect


def found(text: str, region: str = "US") -> list[tuple[str, str]]:
    return [(s.type, text[s.start:s.end]) for s in detect(text, region=region)]


@pytest.mark.parametrize(("value", "typ"), [
    ("jane.doe@acme.com", "EMAIL"),
    ("Jane.Doe+crm@mail.eu.acme.co.uk", "EMAIL"),
    ("o'brien_42@sub-domain.example.io", "EMAIL"),
    ("jane.doe [at] acme [dot] de", "EMAIL"),
    ("jane(at)acme.de", "EMAIL"),
    ("+1 415-555-0132", "PHONE"),
    ("(415) 555-0132", "PHONE"),
    ("415.555.0132", "PHONE"),
    ("1-800-555-0199", "PHONE"),
    ("+44 (0)20 7946 0958", "PHONE"),
    ("0044 20 7946 0958", "PHONE"),
    ("(+44) 20 7946 0958", "PHONE"),
    ("+49 30 1234567", "PHONE"),
    ("+4930123456", "PHONE"),
    ("+33 6 12 34 56 78", "PHONE"),
    ("+81 3-1234-5678", "PHONE"),
    ("+1 415 555 0132 ext. 204", "PHONE"),
    ("4111 1111 1111 1111", "CREDIT_CARD"),
    ("4111-1111-1111-1111", "CREDIT_CARD"),
    ("4111111111111111", "CREDIT_CARD"),
    ("3782 822463 10005", "CREDIT_CARD"),
    ("5555 5555 5555 4444", "CREDIT_CARD"),
    ("DE89 3704 0044 0532 0130 00", "IBAN"),
    ("DE89370400440532013000", "IBAN"),
    ("gb29 nwbk 6016 1331 9268 19", "IBAN"),
    ("FR14 2004 1010 0505 0001 3M02 606", "IBAN"),
    ("NL91ABNA0417164300", "IBAN"),
    ("536-22-1234", "US_SSN"),
    ("192.168.1.20", "IP_ADDRESS"),
    ("2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS"),
    ("2001:0db8:85a3:0000:0000:8a2e:0370:7334", "IP_ADDRESS"),
    ("fe80::1ff:fe23:4567:890a", "IP_ADDRESS"),
    ("::ffff:192.0.2.128", "IP_ADDRESS"),
])
def test_a_value_in_a_sentence_is_found_with_its_exact_span(value: str, typ: str) -> None:
    text = f"Please note: {value}. Thanks!"
    start = text.index(value)
    assert detect(text, region="US") == [Span(typ, start, start + len(value))]


def test_a_national_number_is_read_in_the_given_region() -> None:
    assert found("Ruf mich an: 030 1234567 oder 0151 23456789.", region="DE") == [
        ("PHONE", "030 1234567"), ("PHONE", "0151 23456789")]
    assert found("Appelez-moi au 01 23 45 67 89.", region="FR") == [("PHONE", "01 23 45 67 89")]
    assert found("電話：03-1234-5678です", region="JP") == [("PHONE", "03-1234-5678")]


def test_spaced_or_bare_ssns_are_found_only_next_to_an_ssn_word() -> None:
    assert found("SSN: 536 22 1234 and social security number 536221234") == [
        ("US_SSN", "536 22 1234"), ("US_SSN", "536221234")]
    assert found("SSN #536-22-1234") == [("US_SSN", "536-22-1234")]


def test_an_ip_address_keeps_its_port_mask_and_zone_outside_the_span() -> None:
    assert found("hosts 10.0.0.1:8080, 10.0.0.0/24, [2001:db8::1]:443 and fe80::1ff:fe23:4567:890a%eth0") == [
        ("IP_ADDRESS", "10.0.0.1"), ("IP_ADDRESS", "10.0.0.0"), ("IP_ADDRESS", "2001:db8::1"),
        ("IP_ADDRESS", "fe80::1ff:fe23:4567:890a")]


def test_several_types_in_one_text_come_back_sorted_and_separate() -> None:
    text = ("Jane (jane@acme.com, +1 415 555 0132) paid with 4111 1111 1111 1111 from 203.0.113.7; "
            "refund to DE89 3704 0044 0532 0130 00.")
    assert [s.type for s in detect(text)] == ["PERSON", "EMAIL", "PHONE", "CREDIT_CARD", "IP_ADDRESS", "IBAN"]
    spans = detect(text)
    assert all(a.end <= b.start for a, b in pairwise(spans))


def test_full_width_digits_are_read_like_ascii_with_the_same_offsets() -> None:
    text = "携帯：０９０－１２３４－５６７８まで"
    (span,) = detect(text, region="JP")
    assert (span.type, text[span.start:span.end]) == ("PHONE", "０９０－１２３４－５６７８")
