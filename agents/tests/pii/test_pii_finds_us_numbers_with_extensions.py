"""US numbers with extensions are found whole, the extension inside the span, whether or not the number is
assigned to a carrier."""

import pytest

from agents.pii import detect


@pytest.mark.parametrize("number", [
    "(555)123-4567x089", "+1-555-010-4477x12", "555.010.4477 ext. 204", "(415) 555-0132 x12", "1-212-555-0100",
])
def test_the_extension_is_part_of_the_number(number: str) -> None:
    text = f"Reach Sam at {number} today."
    spans = [s for s in detect(text, region="US", names=False) if s.type == "PHONE"]
    assert [(text[s.start:s.end]) for s in spans] == [number]
