"""Near misses: a text one small slip away from a command REX knows is answered "did you mean …?"."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from datetime import date

from missions.decision.grammar import EXAMPLE_COMMANDS, RULES, WEEKDAYS, match_rules
from missions.decision.model import DecisionRejected, shorten

# The words of the grammar, for fixing typos ("wram" → "warm") when looking for a near miss.
VOCABULARY = sorted(
    {word for rule in RULES for word in re.findall(r"[a-z]+", re.sub(r"\{\w+\}", " ", rule.template))}
    | {"the", "a", "meeting", "book", "schedule", "with", "next", "week", "tomorrow", "today", "on", "between", "and",
       "campaign", "list", "domain", "domains", "mission", "status", "of", "for", "replies", "triage", "canary",
       "run", "provision", "assign", "send", "new", "to", "up", "warm"}
    | {day for day in WEEKDAYS if len(day) > 3}
)
# Words a near miss may be missing ("status mission abc123" → "status of mission abc123").
INSERTABLE_WORDS = ("of", "to", "for", "with", "a", "up", "new", "list", "campaign", "mission", "domains", "meeting",
                    "replies", "warm", "send")
MAX_REPAIR_TOKENS = 20
# A whole text this similar (difflib ratio) to a canonical example, and about as long, is a near miss.
NEAR_MISS_RATIO = 0.8


def _fix_typos(tokens: list[str]) -> list[str]:
    fixed = []
    for token in tokens:
        word = token.lower()
        if word not in VOCABULARY and word.isalpha() and len(word) >= 3:
            close = difflib.get_close_matches(word, VOCABULARY, n=1, cutoff=0.75)
            fixed.append(close[0] if close else token)
        else:
            fixed.append(token)
    return fixed


def _repairs(text: str) -> Iterator[str]:
    """Texts one small edit away: typos fixed, then one word dropped or one grammar word added (in a fixed order)."""
    tokens = _fix_typos(text.split())
    yield " ".join(tokens)
    if len(tokens) > MAX_REPAIR_TOKENS:
        return
    for i in range(len(tokens)):
        yield " ".join(tokens[:i] + tokens[i + 1:])
    for i in range(len(tokens) + 1):
        for word in INSERTABLE_WORDS:
            yield " ".join([*tokens[:i], word, *tokens[i:]])


def near_miss(text: str, today: date) -> str | None:
    """A command REX knows that ``text`` was probably meant to be, or None. Deterministic; never asks the LLM."""
    for candidate in _repairs(text):
        try:
            found = match_rules(candidate, today)
        except DecisionRejected:
            continue  # reads like a command, but not a valid one: no use suggesting it
        if found is not None and found[0].intent != "help":
            rule, slots, _ = found
            return rule.phrase(slots)
    lowered = text.lower()
    best: tuple[float, str] | None = None
    for rule in RULES:
        example = rule.example_text
        if rule.intent == "help" or abs(len(example) - len(lowered)) > 0.25 * len(example):
            continue
        ratio = difflib.SequenceMatcher(None, lowered, example).ratio()
        if ratio >= NEAR_MISS_RATIO and (best is None or ratio > best[0]):
            best = (ratio, example)
    return best[1] if best else None


def known_commands_message(text: str) -> str:
    examples = "; ".join(f"'{example}'" for example in EXAMPLE_COMMANDS)
    return f"REX does not understand {shorten(text)!r}. Commands it knows, for example: {examples}."
