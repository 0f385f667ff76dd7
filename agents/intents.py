"""What REX can be asked to do in words: intents and their grammar rules, registered by the apps that own them.

An app registers its intents in its ``rex_agents.py``, next to its agents (``register(Intent(...))``); the module is
imported in every process at start-up (``agents.registry.load``). The decision engine (``missions.decision``)
reads the registry: it knows how to match, repair and plan, and nothing of what the commands are about. This
module lives in the agents app, below missions, so every app can register without importing the engine.

An intent names the mission type it plans (an agent's name) and that agent's params model — the same
``BaseAgent.Params`` that validates the mission at intake, so whatever the agent accepts, the rules and the LLM
can plan. Its rules read free text into those params; their examples are what users are shown.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from pydantic import BaseModel

# --- building blocks of a rule's patterns -----------------------------------------------------------------------

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
# A number: digits, or a word up to twenty ("a new domain" is one).
NUMBER = r"(?:\d{1,6}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
# A name is one word (letters, digits, . _ - /) or anything in quotes; read back in quotes when it has spaces.
NAME = r"""(?:"[^"]{1,100}"|'[^']{1,100}'|\w[\w.\-/]{0,99})"""
THE = r"(?:the )?"


def slot(name: str, pattern: str = NAME) -> str:
    """A named value in a pattern; the interpret function gets it (unquoted) under ``name``."""
    return rf"(?P<{name}>{pattern})"


COUNT = slot("count", NUMBER)


def number_of(raw: str) -> int:
    """The value of a ``NUMBER`` slot: "5" or "five"."""
    return NUMBER_WORDS.get(raw.lower()) or int(raw)


# --- rules and intents ----------------------------------------------------------------------------------------------

Interpret = Callable[[dict[str, str], date], dict[str, Any]]


@dataclass(frozen=True)
class Question:
    """What an answering intent is asked: by whom, for which organization, with the params its rule read."""

    organization: Any  # tenants.models.Organization
    params: dict[str, Any]
    today: date
    actor: str  # the username (or "api") a control is audited under
    text: str = ""  # the command as the grammar read it, for a "did you mean" that repeats it with a better name


class AnswerRefused(ValueError):
    """The question cannot be answered as asked (an unknown or ambiguous name); the message says why."""


def unknown_name(question: Question, what: str, typed: str, close: list[str], *, replace: str | None = None,
                 kind_of: dict[str, str] | None = None) -> AnswerRefused:
    """"no <what> called 'x' in your organization", with "did you mean '<the command, the name fixed>'?" when a
    name is close (``close``, best first). ``replace`` is the part of the command to swap (default: ``typed``);
    ``kind_of`` names each close name's kind, put before it so the suggestion reads unambiguously."""
    message = f"no {what} called {typed!r} in your organization"
    if not close:
        return AnswerRefused(message)
    better = f"{kind_of[close[0]]} {close[0]}" if kind_of else close[0]
    return AnswerRefused(f"{message}; did you mean '{question.text.replace(replace or typed, better)}'?")


# An answer is a small structured result the dashboard renders and the API returns (docs/decision-engine.md):
# ``{"kind": "number", "title", "value", ...}`` or ``{"kind": "table", "title", "columns", "rows", ...}``.
Answerer = Callable[[Question], dict[str, Any]]


@dataclass(frozen=True)
class Rule:
    """One phrasing of an intent.

    - ``template``: the canonical phrasing, ``{slot}`` for each value, ``[…]`` around an optional part; the engine
      reads a match back in these words ("did you mean …?", "understood as …").
    - ``example``: a command this rule reads, shown to users (help, "REX does not understand …", the dashboard).
    - ``patterns``: regular expressions (case-insensitive, matched against the whole tidied text) with named slots.
    - ``interpret(slots, today)``: the params of the mission (validated afterwards by the intent's params model);
      a ``ValueError`` is a value the user got wrong, answered as "understood as …, but <message>".
    """

    template: str
    example: str
    patterns: tuple[str, ...]
    interpret: Interpret
    compiled: tuple[re.Pattern[str], ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "compiled", tuple(re.compile(pattern, re.IGNORECASE) for pattern in self.patterns))

    @property
    def name_slots(self) -> frozenset[str]:
        """The slots that hold a ``NAME``: read back in quotes when they are more than one word."""
        return frozenset(name for pattern in self.patterns for name in re.findall(r"\(\?P<(\w+)>", pattern)
                         if slot(name) in pattern)


@dataclass(frozen=True)
class Intent:
    """One thing REX can be asked to do.

    - ``name``: recorded on every decision (``CommandDecision.intent``) and named by the LLM's plan.
    - ``description``: one line for the LLM's prompt, saying when this intent is meant.
    - ``mission_type`` and ``params``: the agent whose mission it plans, and that agent's params model
      (``BaseAgent.Params``; for an agent not built yet, the model it will declare). None for a question the
      engine answers itself.
    - ``rules``: the phrasings the grammar reads (layer 2); an intent without rules is planned by the LLM only.
    - ``vocabulary``: words the rules read that their templates do not show (``provision``, weekdays…), so a
      typo in them is repaired as well.
    - ``rewrites``: (pattern, replacement) pairs applied to every text before matching, for spellings that
      mean the same words ("warm-up" → "warm up").
    - ``answer``: for a question or a control the engine answers at once, without a mission: called with a
      ``Question``, it returns the structured answer or raises ``AnswerRefused``. A control (``changes_data``)
      runs when the decision is carried out, in the transaction that records it, so the change and its audit row
      commit together; a question is answered while deciding (it only reads).
    """

    name: str
    description: str
    mission_type: str | None = None
    params: type[BaseModel] | None = None
    rules: tuple[Rule, ...] = ()
    vocabulary: tuple[str, ...] = ()
    rewrites: tuple[tuple[str, str], ...] = ()
    answer: Answerer | None = None
    changes_data: bool = False

    @property
    def examples(self) -> list[str]:
        return [rule.example for rule in self.rules]


PAUSE_VERBS = r"(?:pause|stop|hold|suspend)"
RESUME_VERBS = r"(?:resume|unpause|restart|continue)"


def pause_and_resume(thing: str, *, nouns: str, value: str, pause: Answerer, resume: Answerer,
                     examples: tuple[str, str], descriptions: tuple[str, str],
                     pause_verbs: str = PAUSE_VERBS) -> tuple[Intent, Intent]:
    """The two controls "pause <thing> X" and "resume <thing> X" (intents ``pause_<thing>``, ``resume_<thing>``),
    answered at once by ``pause`` / ``resume``; ``nouns`` is how the text may name the thing ("inbox|mailbox"),
    ``value`` the pattern of its name. ``examples`` and ``descriptions`` are (pause, resume)."""
    def interpret(slots: dict[str, str], today: date) -> dict[str, Any]:
        return {thing: slots[thing]}

    def control(verb: str, verbs: str, answer: Answerer, example: str, description: str) -> Intent:
        return Intent(name=f"{verb}_{thing}", description=description,
                      rules=(Rule(f"{verb} {thing} {{{thing}}}", example,
                                  (rf"{verbs} {THE}(?:{nouns}) {slot(thing, value)}",), interpret),),
                      vocabulary=tuple(re.findall(r"[a-z]+", f"{verbs} {nouns}")), answer=answer, changes_data=True)

    return (control("pause", pause_verbs, pause, examples[0], descriptions[0]),
            control("resume", RESUME_VERBS, resume, examples[1], descriptions[1]))


_intents: dict[str, Intent] = {}


def check(intent: Intent) -> None:
    """Refuse an intent the engine could not plan: ImproperlyConfigured, naming the intent."""
    if not intent.name or not re.fullmatch(r"[a-z][a-z0-9_]*", intent.name) or intent.name == "unknown":
        raise ImproperlyConfigured(f"intent name {intent.name!r}: lower-case letters, digits and _; not 'unknown'")
    if (intent.mission_type is None) != (intent.params is None):
        raise ImproperlyConfigured(f"intent {intent.name!r} names a mission type without a params model, or the "
                                   "reverse: a mission intent needs both")
    if intent.answer is not None and intent.mission_type is not None:
        raise ImproperlyConfigured(f"intent {intent.name!r} both plans a mission and answers at once; pick one")
    if intent.changes_data and intent.answer is None:
        raise ImproperlyConfigured(f"intent {intent.name!r} changes data but has no answer function")
    if intent.params is not None and intent.params.model_config.get("extra") != "forbid":
        raise ImproperlyConfigured(f"intent {intent.name!r}: its params model must forbid unknown fields")
    for other in _intents.values():
        if other.name != intent.name and other.mission_type == intent.mission_type and other.params is not intent.params:
            raise ImproperlyConfigured(f"intents {other.name!r} and {intent.name!r} plan {intent.mission_type!r} "
                                       "missions with different params models; a mission type has one")


def register(intent: Intent) -> Intent:
    """Register an intent; the same intent twice is harmless, two different ones with one name stop the process."""
    existing = _intents.get(intent.name)
    if existing is not None and existing != intent:
        raise ImproperlyConfigured(f"two intents are named {intent.name!r}")
    check(intent)
    _intents[intent.name] = intent
    return intent


def unregister(name: str) -> None:
    """Remove an intent (tests that register a throwaway intent clean up with this)."""
    _intents.pop(name, None)


def get(name: str) -> Intent | None:
    return _intents.get(name)


def all_intents() -> list[Intent]:
    """Every registered intent, in registration order (apps in INSTALLED_APPS order): the order rules are tried in."""
    return list(_intents.values())
