"""detect() builds its Span objects without the frozen dataclass's __init__ (it is the commonest object it makes):
they are equal to, hash like, print like, pickle like and stay as frozen as Spans built the ordinary way."""

import dataclasses
import pickle

import pytest

from agents.pii import Span, detect


def test_spans_from_detect_are_ordinary_frozen_spans() -> None:
    text = "Mail jane@example.com or call +44 20 7946 0958."
    found = detect(text, names=False)
    expected = [Span("EMAIL", 5, 21), Span("PHONE", 30, 46)]
    assert found == expected
    assert [hash(s) for s in found] == [hash(s) for s in expected]
    assert repr(found[0]) == "Span(type='EMAIL', start=5, end=21)"
    assert pickle.loads(pickle.dumps(found)) == expected
    assert found[0].as_dict() == {"type": "EMAIL", "start": 5, "end": 21}
    assert dataclasses.asdict(found[1]) == {"type": "PHONE", "start": 30, "end": 46}
    with pytest.raises(dataclasses.FrozenInstanceError):
        found[0].start = 0  # type: ignore[misc]
