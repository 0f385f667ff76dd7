"""detect() scans the text's digits once for number runs and IBAN seeds: the same as scanning for each apart."""

import random
import re

from agents.pii.context import _PHONE_CAND_RE, _number_runs, _scan_numbers

# The IBAN seed as its own scan: the check digits right after two letters ("DE|89").
_IBAN_SEED_RE = re.compile(r"\d(?<=[A-Za-z][A-Za-z]\d)\d")
_ALPHABET = [*"0123456789" * 3, *"+()  .-/,:x#@aZDEGBde\n_é", "\u2013", "\u00a0", "\u2009", "\\"]


def test_random_texts_give_the_runs_and_seeds_of_separate_scans() -> None:
    rng = random.Random(13)
    runs_seen = seeds_seen = 0
    for _ in range(20000):
        text = "".join(rng.choice(_ALPHABET) for _ in range(rng.randint(1, 60)))
        runs, seeds = _scan_numbers(text)
        assert runs == _number_runs(text), text
        assert seeds == [m.start() for m in _IBAN_SEED_RE.finditer(text)], text
        runs_seen += len(runs)
        seeds_seen += len(seeds)
    assert runs_seen > 1000 and seeds_seen > 1000  # both kinds were exercised


def test_text_with_an_iban_and_phone_numbers_gives_both() -> None:
    text = "IBAN DE89 3704 0044 0532 0130 00, Tel. +49 30 1234567 / 030 1234567; ref AB12-3"
    runs, seeds = _scan_numbers(text)
    assert [text[s:e] for s, e in runs] == [m.group() for m in _PHONE_CAND_RE.finditer(text) if len(m.group()) >= 7]
    assert [text[s:s + 2] for s in seeds] == ["89", "12"]
