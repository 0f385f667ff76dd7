"""Layer 2's grammar: how a text is tidied, and how the registered rules read it.

The rules themselves belong to the apps (``agents.intents``); this module only knows how to match them, read a
match back in a rule's canonical words, and validate what a rule understood with its intent's params model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from agents.intents import Intent, Rule
from missions.decision.intents import known_intents
from missions.decision.model import reject
from missions.decision.plan import clean_params

POLITE_PREFIX = re.compile(r"^(?:(?:hey|hi|ok|okay) )?(?:rex[,:]? )?(?:(?:please|pls|kindly|can you|could you|would you)"
                           r"[,]? )*", re.IGNORECASE)
POLITE_SUFFIX = re.compile(r"(?:,? (?:please|pls|thanks|thank you|thx))+$", re.IGNORECASE)


def normalize(text: str, intents: Sequence[Intent] | None = None) -> str:
    """The text the grammar reads: one line, single spaces, no politeness, no trailing punctuation.

    Then each intent's rewrites ("warm-up" → "warm up"), so its rules need to know one spelling only.
    """
    # Typographic quotes (phones, word processors) read as plain ones.
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "}))
    text = " ".join(text.split())
    for _ in range(2):  # "please warm up …, thanks!" has punctuation on both sides of the politeness
        text = text.rstrip(" .!?;,")
        text = POLITE_SUFFIX.sub("", text)
        text = POLITE_PREFIX.sub("", text)
    for intent in known_intents() if intents is None else intents:
        for pattern, replacement in intent.rewrites:
            text = re.sub(pattern, replacement, text, flags=re.IGNORECASE)
    return text.strip()


def unquote(value: str) -> str:
    return value[1:-1].strip() if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


def quoted(value: str) -> str:
    return f"'{value}'" if re.search(r"[^\w.\-/@]", value) else value


def match(rule: Rule, text: str) -> dict[str, str] | None:
    """The slots of ``rule`` in ``text`` (unquoted), or None when the rule does not read the whole text."""
    for pattern in rule.compiled:
        found = pattern.fullmatch(text)
        if found:
            return {k: unquote(v) for k, v in found.groupdict().items() if v is not None}
    return None


def phrase(rule: Rule, slots: dict[str, str]) -> str:
    """The canonical phrasing of a match; optional parts whose slot the text left out drop their words."""
    text = rule.template
    names = rule.name_slots
    for name in re.findall(r"\{(\w+)\}", rule.template):
        value = slots.get(name)
        if value:
            text = text.replace("{" + name + "}", quoted(value) if name in names else value)
        else:  # "[ for campaign {campaign}]" disappears when no campaign was given
            text = re.sub(r"\[[^\]]*\{" + name + r"\}[^\]]*\]", "", text)
    return re.sub(r"[\[\]]", "", text)


@dataclass(frozen=True)
class Reading:
    """What the rules understood: the intent, the rule and its slots, and the params (validated for a mission)."""

    intent: Intent
    rule: Rule
    slots: dict[str, str]
    params: dict[str, Any]


def match_rules(text: str, today: date, intents: Sequence[Intent] | None = None) -> Reading | None:
    """The first rule that reads ``text``; raises DecisionRejected when it reads it but the values are wrong."""
    for intent in known_intents() if intents is None else intents:
        for rule in intent.rules:
            slots = match(rule, text)
            if slots is None:
                continue
            try:
                params = rule.interpret(slots, today)
                if intent.mission_type is not None:
                    params = clean_params(intent.mission_type, params, today=today)
            except ValueError as exc:
                raise reject(f"understood as '{phrase(rule, slots)}', but {exc}", intent=intent.name) from None
            return Reading(intent, rule, slots, params)
    return None
