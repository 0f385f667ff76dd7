"""bench/pii.py times several passes over one corpus and keeps the best; the caches keyed by text (runs of
capitalised words, a record's phrases) would make every pass after the first a pass over text already decided.
``_forget_seen_text`` empties exactly those, so the bench's figures stay first-call figures."""
from __future__ import annotations

from agents import pii
from agents.pii.names import _run_names
from agents.pii.phrases import _known_phrases, _value_entries


def test_forgetting_seen_text_empties_the_caches_a_second_pass_would_hit():
    text = "Dear Margaret Okafor, please call Jan de Vries on +31 20 123 4567 about Anna Schmidt."
    pii.detect(text, known_values={"PERSON": ["Jan de Vries"]}, names=True)
    assert _run_names.cache_info().currsize > 0
    assert _known_phrases.cache_info().currsize + _value_entries.cache_info().currsize > 0

    pii._forget_seen_text()

    assert _run_names.cache_info().currsize == 0
    assert _known_phrases.cache_info().currsize == 0
    assert _value_entries.cache_info().currsize == 0


def test_a_detection_after_forgetting_finds_the_same_spans():
    text = "Hi Sophie Müller, Peter Jansen asked for 06 12 34 56 78 and card 4111 1111 1111 1111."
    first = pii.detect(text, region="FR", names=True)
    pii._forget_seen_text()
    assert pii.detect(text, region="FR", names=True) == first
