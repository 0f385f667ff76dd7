"""Near misses: a text one small slip away from a command REX knows is answered "did you mean …?".

Deterministic (the same text always gets the same answer) and without the LLM. The words it repairs towards come
from the registered rules: their templates, and the vocabulary their intents declare.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from datetime import date

from agents.intents import Intent
from missions.decision.grammar import match_rules, phrase
from missions.decision.intents import example_commands, known_intents
from missions.decision.model import DecisionRejected, shorten

# The little words a command is made of, whatever it is about; tried first when a word seems to be missing.
FUNCTION_WORDS = ("of", "to", "for", "with", "a")
MAX_REPAIR_TOKENS = 20
# A whole text this similar (difflib ratio) to a canonical example, and about as long, is a near miss.
NEAR_MISS_RATIO = 0.8


def _template_words(template: str, *, optional: bool = True) -> list[str]:
    if not optional:
        template = re.sub(r"\[[^\]]*\]", " ", template)
    return re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", template))


def vocabulary(intents: Sequence[Intent]) -> list[str]:
    """The words of the grammar, for fixing typos ("wram" → "warm") when looking for a near miss."""
    words = {*FUNCTION_WORDS, "the"}
    for intent in intents:
        words.update(intent.vocabulary)
        for rule in intent.rules:
            words.update(_template_words(rule.template))
    return sorted(words)


def insertable_words(intents: Sequence[Intent]) -> list[str]:
    """Words a near miss may be missing ("status mission abc123" → "status of mission abc123"), in a fixed order:
    the little words, then the words every rule needs, in the order the rules are tried."""
    words = list(FUNCTION_WORDS)
    for intent in intents:
        if intent.name == "help":
            continue
        for rule in intent.rules:
            words.extend(word for word in _template_words(rule.template, optional=False) if word not in words)
    return words


def _fix_typos(tokens: list[str], words: list[str]) -> list[str]:
    known = set(words)
    fixed = []
    for token in tokens:
        word = token.lower()
        if word not in known and word.isalpha() and len(word) >= 3:
            close = difflib.get_close_matches(word, words, n=1, cutoff=0.75)
            fixed.append(close[0] if close else token)
        else:
            fixed.append(token)
    return fixed


def _repairs(text: str, intents: Sequence[Intent]) -> Iterator[str]:
    """Texts one small edit away: typos fixed, then one word dropped or one grammar word added (in a fixed order)."""
    tokens = _fix_typos(text.split(), vocabulary(intents))
    yield " ".join(tokens)
    if len(tokens) > MAX_REPAIR_TOKENS:
        return
    for i in range(len(tokens)):
        yield " ".join(tokens[:i] + tokens[i + 1:])
    insertable = insertable_words(intents)
    for i in range(len(tokens) + 1):
        for word in insertable:
            yield " ".join([*tokens[:i], word, *tokens[i:]])


def near_miss(text: str, today: date) -> str | None:
    """A command REX knows that ``text`` was probably meant to be, or None. Deterministic; never asks the LLM."""
    intents = known_intents()
    for candidate in _repairs(text, intents):
        try:
            found = match_rules(candidate, today, intents)
        except DecisionRejected:
            continue  # reads like a command, but not a valid one: no use suggesting it
        if found is not None and found.intent.name != "help":
            return phrase(found.rule, found.slots)
    lowered = text.lower()
    best: tuple[float, str] | None = None
    for intent in intents:
        if intent.name == "help":
            continue
        for example in intent.examples:
            if abs(len(example) - len(lowered)) > 0.25 * len(example):
                continue
            ratio = difflib.SequenceMatcher(None, lowered, example).ratio()
            if ratio >= NEAR_MISS_RATIO and (best is None or ratio > best[0]):
                best = (ratio, example)
    return best[1] if best else None


def known_commands_message(text: str) -> str:
    examples = "; ".join(f"'{example}'" for example in example_commands())
    return f"REX does not understand {shorten(text)!r}. Commands it knows, for example: {examples}."
