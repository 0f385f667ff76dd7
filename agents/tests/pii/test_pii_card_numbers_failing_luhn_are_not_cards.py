"""A card-shaped number that fails the Luhn check is not a card: every issued card number ends with a Luhn check
digit, so a failing one was never issued (a typo, an order or tracking number); and a shorter prefix of a
printed card shape that happens to pass is chance, not a card."""

from agents.pii import detect, luhn_valid


def test_a_sixteen_digit_run_failing_luhn_is_not_a_card() -> None:
    assert not luhn_valid("4111111111111112")
    assert detect("Card 4111 1111 1111 1112 was rejected.", names=False) == []
    assert detect("Card 4111111111111112 was rejected.", names=False) == []


def test_a_printed_19_digit_card_failing_luhn_yields_no_shorter_card() -> None:
    number = "3589353645496171405"  # its first 16 digits pass Luhn by chance
    assert luhn_valid(number[:16]) and not luhn_valid(number)
    grouped = " ".join(number[i:i + 4] for i in range(0, 19, 4))
    assert [s.type for s in detect(f"The card number {grouped} fails its check.", names=False)] == []


def test_the_same_number_with_its_check_digit_right_is_a_card() -> None:
    assert [s.type for s in detect("Card 4111 1111 1111 1111 on file.", names=False)] == ["CREDIT_CARD"]
