"""The names stage's shortcuts only skip work whose answer is known: the character tests before a run never say
"no cue" or "no particle" where the full rules would find one, the cue phrases read backwards find what the
forward patterns find, a run dropped for vouching for nothing holds no name, and the cache of run decisions
changes no answer."""

import random
import sys
from pathlib import Path

from agents.pii import names
from agents.pii.names import (
    _CUE_WORD_REVERSED_RE,
    _INTRO_BEFORE_RE,
    _INTRO_REVERSED_RE,
    _LOWER_WORD_BEFORE_RE,
    _PARTICLES,
    _RUN_RE,
    _cue_word_before,
    _cued,
    _may_be_cued,
    _may_be_particle,
    _run_names,
    _vouched,
    _vouching_words,
    find_names,
    gazetteer,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[3] / "bench"))

import pii_corpus

CUES = [
    "my name is", "Name's", "I AM", "ich heiße", "Mein Name ist", "je m\u2019appelle", "je m'appelle", "me llamo",
    "mijn naam is", "spoke to", "Spoke  with", "talked with", "met with", "z. hd.", "z.hd", "Z. Hd.",
    "ansprechpartnerin", "Ansprechpartner", "t.a.v.", "gez.", "attn", "c/o", "cc", "à l'attention de",
    "A LA ATENCIÓN DE", "contactpersoon", "Sehr geehrter", "Liebes", "dear", "Hi", "hello", "señor", "Chère",
    "estimada", "Querido", "mevrouw", "HERR", "Best regards", "Mit freundlichen Grüßen", "Cordialement", "van",
    "della", "de la", "y", "e", "Frau von", "this", "Seiten", "Thanks,\n--",
]
GAPS = ["", " ", ": ", " ,  ", ",", " :", "\u00a0", " , ", "\n", ",\n\n", "\t", ". ", " \n -- \n"]
FILLERS = ["x", " ", "a", ".", ":", ",", "\u00a0", "\t", "Q", "\n", "é"]


def texts() -> list[str]:
    rng = random.Random(13)
    out = [doc["text"] for doc in pii_corpus.generate(150, seed=5)]
    for _ in range(4000):
        before = "".join(rng.choice(FILLERS) for _ in range(rng.randint(0, 30)))
        out.append(before + rng.choice(CUES) + rng.choice(GAPS) + rng.choice(["Okonkwo", "Anna Berg", "Die Preise"]))
    return out


def test_the_character_tests_before_a_run_never_miss_a_cue_or_a_particle() -> None:
    for text in texts():
        for s in range(len(text)):
            if not text[s].isupper():
                continue
            assert _may_be_cued(text, s) or not _cued(text, s), (text[max(0, s - 40):s], text[s:s + 10])
            if text[s - 1:s] == " " and text[s - 2:s - 1].islower():
                before = _LOWER_WORD_BEFORE_RE.search(text, s - 7 if s > 7 else 0, s - 1)
                if before is not None and before.group() in _PARTICLES:
                    assert _may_be_particle(text, s - 1), text[max(0, s - 10):s]


def test_the_cue_phrases_read_backwards_find_what_the_forward_patterns_find() -> None:
    for text in texts():
        for s in range(1, len(text)):
            if text[s - 1] == "\n":  # _cued() reads the phrases only after a word, never after a line break
                continue
            lo = s - 40 if s > 40 else 0
            reversed_window = text[lo:s][::-1]
            assert (_INTRO_REVERSED_RE.match(reversed_window) is not None) == \
                (_INTRO_BEFORE_RE.search(text, lo, s) is not None), text[lo:s]
            assert (_CUE_WORD_REVERSED_RE.match(reversed_window, 0, 16) is not None) == _cue_word_before(text, s), \
                text[lo:s]


def test_a_run_that_vouches_for_nothing_holds_no_name() -> None:
    first, _ = gazetteer()
    vouch = _vouching_words(first)
    dropped = 0
    for text in texts():
        for m in _RUN_RE.finditer(text):
            run = m.group()
            if not _vouched(run, vouch, first):
                dropped += 1
                for company_after in (False, True):
                    for number_next in (False, True):
                        assert _run_names(run, False, company_after, number_next) == (), run
    assert dropped > 1000


def test_the_cache_of_run_decisions_changes_no_answer() -> None:
    sample = texts()[:300]
    _run_names.cache_clear()
    cold = [find_names(text) for text in sample]
    assert _run_names.cache_info().hits > 0
    assert [find_names(text) for text in sample] == cold
    assert names._run_names.cache_info().maxsize is not None  # bounded
