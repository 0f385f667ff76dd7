"""Layer 2's grammar: the rules REX reads, how a text is tidied first, and how a rule reads it."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from missions.decision.model import reject
from missions.decision.plan import DOMAIN_PATTERN, EMAIL_PATTERN, INTENTS, clean_params

NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
}
WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
            "mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3, "fri": 4, "sat": 5, "sun": 6}

COUNT = r"(?P<count>\d{1,6}|" + "|".join(sorted(NUMBER_WORDS, key=len, reverse=True)) + ")"
# A name is one word (letters, digits, . _ - /) or anything in quotes.
NAME = r"""(?:"[^"]{1,100}"|'[^']{1,100}'|\w[\w.\-/]{0,99})"""
THE = r"(?:the )?"
REF = r"[^\s]+"


def slot(name: str, pattern: str = NAME) -> str:
    return rf"(?P<{name}>{pattern})"


def unquote(value: str) -> str:
    return value[1:-1].strip() if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


# Slots holding a name, read back in quotes when they are more than one word.
NAME_SLOTS = frozenset({"client", "campaign", "list"})


def quoted(value: str) -> str:
    return f"'{value}'" if re.search(r"[^\w.\-/@]", value) else value


def count_of(raw: str) -> int:
    return NUMBER_WORDS.get(raw.lower()) or int(raw)


@dataclass(frozen=True)
class Interpretation:
    """What a rule understood: a mission (type + params), or a query the engine answers itself."""

    intent: str
    mission_type: str | None = None
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Rule:
    intent: str
    template: str  # the canonical phrasing, "{slot}" for each value; read back in "did you mean …?"
    example: dict[str, str]  # slot values of the canonical example shown to users
    patterns: tuple[re.Pattern[str], ...]
    interpret: Callable[[dict[str, str], date], Interpretation]

    def phrase(self, slots: dict[str, str]) -> str:
        """The canonical phrasing of a match; optional slots the text left out drop their words."""
        text = self.template
        for name in re.findall(r"\{(\w+)\}", self.template):
            value = slots.get(name)
            if value:
                text = text.replace("{" + name + "}", quoted(value) if name in NAME_SLOTS else value)
            else:  # "[ for campaign {campaign}]" disappears when no campaign was given
                text = re.sub(r"\[[^\]]*\{" + name + r"\}[^\]]*\]", "", text)
        return re.sub(r"[\[\]]", "", text)

    @property
    def example_text(self) -> str:
        return self.phrase(self.example)

    def match(self, text: str) -> dict[str, str] | None:
        for pattern in self.patterns:
            found = pattern.fullmatch(text)
            if found:
                return {k: unquote(v) for k, v in found.groupdict().items() if v is not None}
        return None


def compile_patterns(*patterns: str) -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p, re.IGNORECASE) for p in patterns)


def mission(intent: str, params: dict[str, Any]) -> Interpretation:
    return Interpretation(intent, INTENTS[intent].mission_type, params)


def meeting_day(text: str, today: date, *, not_before: date | None = None) -> date:
    """One day of a meeting window: today, tomorrow, a weekday or YYYY-MM-DD.

    A weekday is the next one after today or, for the end of a window, the first one on or after its start
    (so on a Tuesday "between monday and friday" is next Monday to the Friday after it).
    """
    word = text.strip().lower()
    word = re.sub(r"^(?:on |next |this |coming |the )+", "", word)
    if word == "today":
        return today
    if word == "tomorrow":
        return today + timedelta(days=1)
    if word in WEEKDAYS and not_before is not None:
        return not_before + timedelta(days=(WEEKDAYS[word] - not_before.weekday()) % 7)
    if word in WEEKDAYS:
        return today + timedelta(days=(WEEKDAYS[word] - today.weekday() - 1) % 7 + 1)
    try:
        return date.fromisoformat(word)
    except ValueError:
        raise ValueError(f"cannot read the day {text.strip()!r}") from None


def meeting_window(when: str | None, today: date) -> tuple[date, date]:
    """The window of "book a meeting with … <when>", as (first day, last day), both included."""
    hint = ("say when: next week, tomorrow, on friday, on 2026-12-01, or between 2026-12-01 and 2026-12-04")
    if not when:
        raise ValueError(f"when should the meeting be? {hint}")
    phrase = when.strip().lower()
    if phrase in ("next week", "in the next week"):
        monday = today + timedelta(days=7 - today.weekday())
        return monday, monday + timedelta(days=4)  # the working days of next week
    if phrase in ("this week",):
        friday = today + timedelta(days=4 - today.weekday())
        return today, max(today, friday)
    between = re.fullmatch(r"(?:between|from) (.+?) (?:and|to|until) (.+)", phrase)
    try:
        if between:
            start = meeting_day(between.group(1), today)
            return start, meeting_day(between.group(2), today, not_before=start)
        day = meeting_day(phrase, today)
    except ValueError as exc:
        raise ValueError(f"{exc}; {hint}") from None
    return day, day


def interpret_provision(s: dict[str, str], today: date) -> Interpretation:
    return mission("provision_domains", {"count": count_of(s["count"]), "client": s["client"], "warmup": True})


def interpret_warmup(s: dict[str, str], today: date) -> Interpretation:
    return mission("warmup_domain", {"domain": s["domain"].lower()})


def interpret_send(s: dict[str, str], today: date) -> Interpretation:
    return mission("send_campaign", {"campaign": s["campaign"], "list": s["list"]})


def interpret_assign(s: dict[str, str], today: date) -> Interpretation:
    return mission("assign_domains", {"count": count_of(s["count"]), "campaign": s["campaign"]})


def interpret_booking(s: dict[str, str], today: date) -> Interpretation:
    start, end = meeting_window(s.get("when"), today)
    return mission("book_meeting", {"attendee": s["attendee"].lower(), "window_start": start.isoformat(),
                                    "window_end": end.isoformat()})


def interpret_triage(s: dict[str, str], today: date) -> Interpretation:
    return mission("triage_replies", {"campaign": s["campaign"]} if s.get("campaign") else {})


def interpret_status(s: dict[str, str], today: date) -> Interpretation:
    return Interpretation("mission_status", params={"mission": s["ref"]})


def interpret_canary(s: dict[str, str], today: date) -> Interpretation:
    return mission("canary", {})


def interpret_help(s: dict[str, str], today: date) -> Interpretation:
    return Interpretation("help")


RULES: tuple[Rule, ...] = (
    Rule("provision_domains", "warm up {count} new domains for {client}", {"count": "5", "client": "acme"},
         compile_patterns(rf"(?:warm up|provision) {COUNT} (?:new |fresh |more )?domains? for {THE}(?:client |customer )?"
                          rf"{slot('client')}"),
         interpret_provision),
    Rule("warmup_domain", "warm up domain {domain}", {"domain": "foo.example"},
         compile_patterns(rf"(?:warm up|start warming up) {THE}(?:domain )?{slot('domain', DOMAIN_PATTERN)}"),
         interpret_warmup),
    Rule("send_campaign", "send campaign {campaign} to list {list}", {"campaign": "spring-launch", "list": "cfo-uk"},
         compile_patterns(rf"(?:send|launch) {THE}campaign {slot('campaign')} to {THE}(?:mailing |contact )?list "
                          rf"{slot('list')}"),
         interpret_send),
    Rule("assign_domains", "assign {count} domains to campaign {campaign}", {"count": "2", "campaign": "spring-launch"},
         compile_patterns(rf"assign {COUNT} (?:more |new |extra )?domains? to {THE}campaign {slot('campaign')}"),
         interpret_assign),
    Rule("book_meeting", "book a meeting with {attendee}[ {when}]", {"attendee": "jane@acme.example", "when": "next week"},
         compile_patterns(rf"(?:book|schedule|set up) (?:a |an )?(?:meeting|call) with {slot('attendee', EMAIL_PATTERN)}"
                          r"(?: (?P<when>.+))?"),
         interpret_booking),
    Rule("triage_replies", "triage replies[ for campaign {campaign}]", {},
         compile_patterns(rf"triage {THE}(?:all |new |all new |all the |the new )?(?:replies|responses|inbox)"
                          rf"(?: (?:for|from|of|on|to|in) {THE}campaign {slot('campaign')})?"),
         interpret_triage),
    Rule("mission_status", "status of mission {ref}", {"ref": "41f0f018"},
         compile_patterns(rf"(?:what(?:'s| is) {THE}|show (?:me )?{THE}|get {THE}|check {THE})?status (?:of|for) {THE}"
                          rf"mission {slot('ref', REF)}",
                          rf"(?:show (?:me )?)?mission {slot('ref', REF)} status"),
         interpret_status),
    Rule("canary", "run a canary", {},
         compile_patterns(r"(?:(?:run|start|launch|send) )?(?:a |an |the )?canary(?: mission| test| run| check)?"),
         interpret_canary),
    Rule("help", "help", {}, compile_patterns(r"help|what can you do|(?:list )?(?:the )?commands"), interpret_help),
)

# Shown on the dashboard as clickable suggestions and listed when a command is not understood.
EXAMPLE_COMMANDS = [
    "warm up 5 new domains for acme",
    "warm up domain foo.example",
    "send campaign spring-launch to list cfo-uk",
    "assign 2 domains to campaign spring-launch",
    "book a meeting with jane@acme.example next week",
    "triage replies",
    "status of mission 41f0f018",
    "run a canary",
]


POLITE_PREFIX = re.compile(r"^(?:(?:hey|hi|ok|okay) )?(?:rex[,:]? )?(?:(?:please|pls|kindly|can you|could you|would you)"
                           r"[,]? )*", re.IGNORECASE)
POLITE_SUFFIX = re.compile(r"(?:,? (?:please|pls|thanks|thank you|thx))+$", re.IGNORECASE)


def normalize(text: str) -> str:
    """The text the grammar reads: one line, single spaces, no politeness, no trailing punctuation."""
    # Typographic quotes (phones, word processors) read as plain ones.
    text = text.translate(str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'", "\u00a0": " "}))
    text = " ".join(text.split())
    for _ in range(2):  # "please warm up …, thanks!" has punctuation on both sides of the politeness
        text = text.rstrip(" .!?;,")
        text = POLITE_SUFFIX.sub("", text)
        text = POLITE_PREFIX.sub("", text)
    text = re.sub(r"\bwarm-?up\b", "warm up", text, flags=re.IGNORECASE)
    return text.strip()


def match_rules(text: str, today: date) -> tuple[Rule, dict[str, str], Interpretation] | None:
    """The first rule whose grammar reads ``text``; raises DecisionRejected when it reads it but the values are wrong."""
    for rule in RULES:
        slots = rule.match(text)
        if slots is None:
            continue
        try:
            interpretation = rule.interpret(slots, today)
            if interpretation.mission_type is not None:
                interpretation = Interpretation(interpretation.intent, interpretation.mission_type,
                                                clean_params(interpretation.mission_type, interpretation.params,
                                                             today=today))
        except ValueError as exc:
            raise reject(f"understood as '{rule.phrase(slots)}', but {exc}", intent=rule.intent) from None
        return rule, slots, interpretation
    return None
