"""The decision engine: a command becomes missions (or an answer) in three layers.

1. **structured** — a JSON request naming the mission type and params is taken as it is (plain logic).
2. **rules** — free text is matched against a small grammar of the commands REX knows (``RULES``); a text one
   small edit away from one of them is refused with "did you mean …?", deterministically and without the LLM.
3. **llm** — any other text is sent to the LLM, which must answer with a ``CommandPlan``; the plan is validated
   (schema, params per mission type, dates) before anything runs, and an invalid plan runs nothing.

``decide`` only decides; ``do_command`` carries the decision out (missions in one transaction) and records every
decision, accepted or not, as a ``CommandDecision`` so ``layer_share`` can say which layer does the work.
See docs/decision-engine.md.
"""

from __future__ import annotations

import difflib
import logging
import re
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Annotated, Any, Literal

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError, model_validator

from agents import registry
from missions.events import mission_snapshot
from missions.models import CommandDecision, Mission, Priority
from missions.services import CommandRejected, Submission, submit_mission
from tenants.models import Organization

logger = logging.getLogger(__name__)

LAYERS = ("structured", "rules", "llm")
MAX_DOMAINS_PER_COMMAND = 100
MAX_PLANNED_MISSIONS = 10
# A plan the LLM itself rates below this is more likely a guess than an understanding: refuse it.
MIN_LLM_CONFIDENCE = 0.5
LLM_PLAN_TIMEOUT_SECONDS = 20.0
# How far ahead a meeting may be booked; a window beyond it is almost always a typo in the year.
MAX_MEETING_DAYS_AHEAD = 366


# --- what a decision is ------------------------------------------------------------------------------------------

@dataclass
class MissionSpec:
    type: str
    params: dict[str, Any]
    priority: str = Priority.NORMAL
    idempotency_key: str | None = None


@dataclass
class Decision:
    layer: str
    intent: str
    missions: list[MissionSpec] = field(default_factory=list)
    answer: dict[str, Any] | None = None
    summary: str = ""


class DecisionRejected(CommandRejected):
    """A refusal that knows which layer made it, so the rejected decision is recorded against that layer."""

    def __init__(self, errors: dict[str, Any], *, layer: str, intent: str = "", summary: str = "",
                 note: str = "") -> None:
        super().__init__(errors)
        self.layer = layer
        self.intent = intent
        self.summary = summary
        # Kept in the recorded decision only (e.g. why the LLM was not asked), not shown to the caller.
        self.note = note


def reject(message: str, *, layer: str = "rules", intent: str = "", summary: str = "", note: str = "") -> DecisionRejected:
    return DecisionRejected({"command": [message]}, layer=layer, intent=intent, summary=summary, note=note)


# --- params of each mission type the engine can plan (one pydantic model per type) --------------------------------

Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
DOMAIN_PATTERN = r"(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}"
EMAIL_PATTERN = r"[^\s@<>\"']+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,63}"


class _Params(BaseModel):
    # A planned field the mission type does not know is a misunderstanding, not something to drop silently.
    model_config = ConfigDict(extra="forbid")


class ProvisionDomainsParams(_Params):
    count: int = Field(ge=1, le=MAX_DOMAINS_PER_COMMAND)
    client: Name
    warmup: bool = True


class WarmupParams(_Params):
    domain: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=253,
                                             pattern=rf"^{DOMAIN_PATTERN}$")]


class SendCampaignParams(_Params):
    campaign: Name
    list: Name


class AssignDomainsParams(_Params):
    count: int = Field(ge=1, le=MAX_DOMAINS_PER_COMMAND)
    campaign: Name


class BookMeetingParams(_Params):
    attendee: Annotated[str, StringConstraints(strip_whitespace=True, to_lower=True, max_length=254,
                                               pattern=rf"^{EMAIL_PATTERN}$")]
    window_start: date
    window_end: date

    @model_validator(mode="after")
    def window_runs_forward(self) -> BookMeetingParams:
        if self.window_end < self.window_start:
            raise ValueError(f"the window ends ({self.window_end}) before it starts ({self.window_start})")
        return self


class TriageRepliesParams(_Params):
    campaign: Name | None = None


class CanaryPlanParams(_Params):
    # The canary agent validates these again (ranges included); the plan only has to name known fields.
    fail_times: int | None = None
    sleep_ms: int | None = None
    message: str | None = None
    tag: str | None = None


@dataclass(frozen=True)
class IntentSpec:
    """One thing REX can be asked to do: the mission type it plans, its params and how to describe them."""

    mission_type: str
    params_model: type[_Params]
    params_hint: str


# The intent → mission type table: the one place that says which mission each command becomes.
INTENTS: dict[str, IntentSpec] = {
    "provision_domains": IntentSpec("provision_domains", ProvisionDomainsParams,
                                    '{"count": 1-100, "client": "<client name>", "warmup": true}'),
    "warmup_domain": IntentSpec("warmup", WarmupParams, '{"domain": "<domain name, e.g. foo.example>"}'),
    "send_campaign": IntentSpec("send_campaign", SendCampaignParams, '{"campaign": "<campaign>", "list": "<list>"}'),
    "assign_domains": IntentSpec("assign_domains", AssignDomainsParams, '{"count": 1-100, "campaign": "<campaign>"}'),
    "book_meeting": IntentSpec("book_meeting", BookMeetingParams,
                               '{"attendee": "<email>", "window_start": "YYYY-MM-DD", "window_end": "YYYY-MM-DD"}'),
    "triage_replies": IntentSpec("triage_replies", TriageRepliesParams, '{"campaign": "<campaign>"} or {}'),
    "canary": IntentSpec("canary", CanaryPlanParams, '{} (optionally "fail_times": 0-10, "message": "<text>")'),
}
PARAMS_MODELS: dict[str, type[_Params]] = {spec.mission_type: spec.params_model for spec in INTENTS.values()}
# Intents the rules answer directly, without a mission.
QUERY_INTENTS = ("mission_status", "help")

MissionTypeName = Literal["provision_domains", "warmup", "send_campaign", "assign_domains", "book_meeting",
                          "triage_replies", "canary"]
IntentName = Literal["provision_domains", "warmup_domain", "send_campaign", "assign_domains", "book_meeting",
                     "triage_replies", "canary", "unknown"]


def readable_errors(exc: ValidationError) -> list[str]:
    """pydantic's errors as "field: message" lines a person can act on."""
    lines = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}" if where else message)
    return lines


def clean_params(mission_type: str, params: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Validate the params the rules or the LLM produced for ``mission_type``; raises ValueError, readable."""
    model = PARAMS_MODELS[mission_type]
    try:
        cleaned = model.model_validate(params)
    except ValidationError as exc:
        raise ValueError("; ".join(readable_errors(exc))) from None
    if isinstance(cleaned, BookMeetingParams):
        if cleaned.window_start < today:
            raise ValueError(f"the window starts on {cleaned.window_start}, which is in the past (today is {today})")
        if cleaned.window_end > today + timedelta(days=MAX_MEETING_DAYS_AHEAD):
            raise ValueError(f"the window ends on {cleaned.window_end}, more than a year ahead")
    return cleaned.model_dump(mode="json", exclude_none=True)


# --- layer 3's schema: what the LLM must answer ---------------------------------------------------------------------

class PlannedMission(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: MissionTypeName
    params: dict[str, Any] = Field(default_factory=dict)
    priority: Literal["high", "normal", "low"] = "normal"

    @model_validator(mode="after")
    def params_fit_the_type(self) -> PlannedMission:
        try:
            self.params = PARAMS_MODELS[self.type].model_validate(self.params).model_dump(mode="json", exclude_none=True)
        except ValidationError as exc:
            raise ValueError(f"params of {self.type}: {'; '.join(readable_errors(exc))}") from None
        return self


class CommandPlan(BaseModel):
    """The structured plan the LLM answers with; validated here before anything runs."""

    model_config = ConfigDict(extra="forbid")

    intent: IntentName
    missions: list[PlannedMission] = Field(default_factory=list, max_length=MAX_PLANNED_MISSIONS)
    confidence: float = Field(ge=0, le=1)
    explanation: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def missions_fit_the_intent(self) -> CommandPlan:
        if self.intent == "unknown":
            return self
        if not self.missions:
            raise ValueError(f"intent {self.intent!r} plans no mission")
        expected = INTENTS[self.intent].mission_type
        if all(mission.type != expected for mission in self.missions):
            raise ValueError(f"intent {self.intent!r} must plan at least one {expected!r} mission")
        return self


# --- layer 2: the grammar -----------------------------------------------------------------------------------------

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


def shorten(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- answering queries --------------------------------------------------------------------------------------------

def find_mission(organization: Organization, ref: str) -> Mission:
    """The caller's mission whose id is ``ref`` or starts with it (at least 6 hex characters)."""
    hex_digits = ref.lower().replace("-", "")
    if not re.fullmatch(r"[0-9a-f]{6,32}", hex_digits):
        raise ValueError(f"{ref!r} is not a mission id: give the mission's id or at least its first 6 characters")
    missions = Mission.objects.filter(organization=organization)
    if len(hex_digits) == 32:
        found = list(missions.filter(pk=uuid.UUID(hex_digits)))
    else:
        # Hyphens where the canonical text form has them: PostgreSQL compares uuid::text, SQLite the bare hex.
        prefix = "-".join(hex_digits[a:b] for a, b in ((0, 8), (8, 12), (12, 16), (16, 20), (20, 32)) if hex_digits[a:b])
        found = list(missions.filter(id__startswith=prefix).order_by("-created_at")[:2])
    if not found:
        raise ValueError(f"none of your organization's missions has an id starting with {ref!r}")
    if len(found) > 1:
        raise ValueError(f"{ref!r} matches more than one of your missions; give more characters of the id")
    return found[0]


def mission_status_answer(mission: Mission) -> dict[str, Any]:
    snapshot = {**mission_snapshot(mission), "params": mission.params, "result": mission.result}
    line = f"{mission.type} {str(mission.id)[:8]} is {mission.status} (attempt {mission.attempts} of {mission.max_attempts})"
    if mission.error and mission.error.get("message"):
        line += f": {mission.error['message']}"
    return {"mission": snapshot, "text": line}


# --- the three layers ---------------------------------------------------------------------------------------------

def describe(spec: MissionSpec) -> str:
    args = ", ".join(f"{key}={value!r}" for key, value in spec.params.items())
    return f"{spec.type}({args})"


def decide(payload: dict[str, Any], *, organization: Organization, user: Any = None,
           today: date | None = None) -> Decision:
    """Turn a request into a Decision (missions to create, or an answer). Raises CommandRejected, readable."""
    today = today or timezone.now().date()
    if payload.get("type"):
        return decide_structured(payload)
    text = " ".join(str(payload.get("command") or "").split())
    if not text:
        raise reject("say what REX should do, e.g. 'warm up 5 new domains for acme'")
    decision = decide_by_rules(text, organization=organization, today=today)
    if decision is None:
        decision = decide_by_llm(text, organization=organization, today=today)
    if payload.get("priority"):  # the caller's priority wins over the plan's
        for spec in decision.missions:
            spec.priority = payload["priority"]
    return decision


def decide_structured(payload: dict[str, Any]) -> Decision:
    """Layer 1: the request already says which mission, with what params (validated by the agent on submit)."""
    spec = MissionSpec(payload["type"], payload.get("params") or {}, payload.get("priority") or Priority.NORMAL,
                       payload.get("idempotency_key"))
    return Decision("structured", spec.type, [spec], summary=describe(spec))


def decide_by_rules(text: str, *, organization: Organization, today: date) -> Decision | None:
    """Layer 2: the grammar. None when the text is nothing like a known command (the LLM's turn)."""
    normalized = normalize(text)
    if not normalized:
        raise reject("say what REX should do, e.g. 'warm up 5 new domains for acme'")
    found = match_rules(normalized, today)
    if found is None:
        suggestion = near_miss(normalized, today)
        if suggestion is not None:
            raise reject(f"REX does not know {shorten(text)!r}; did you mean '{suggestion}'?",
                         summary=f"{shorten(text)} → near miss of '{suggestion}'")
        return None
    rule, _slots, interpretation = found
    if interpretation.intent == "mission_status":
        try:
            target = find_mission(organization, interpretation.params["mission"])
        except ValueError as exc:
            raise reject(str(exc), intent="mission_status") from None
        return Decision("rules", "mission_status", answer=mission_status_answer(target),
                        summary=f"{shorten(text)} → status of mission {target.id}")
    if interpretation.intent == "help":
        return Decision("rules", "help", answer={"commands": EXAMPLE_COMMANDS},
                        summary=f"{shorten(text)} → list the commands REX knows")
    spec = MissionSpec(interpretation.mission_type, interpretation.params)
    return Decision("rules", rule.intent, [spec], summary=f"{shorten(text)} → {describe(spec)}")


def planner_prompt(today: date) -> str:
    intents = "\n".join(f'- "{name}": one or more missions of type "{spec.mission_type}", params {spec.params_hint}'
                        for name, spec in INTENTS.items())
    return (
        "You turn one command for REX, an outbound sales-operations platform, into a JSON plan. "
        f"Today is {today.isoformat()} ({today:%A}), UTC.\n"
        'Answer with one JSON object only: {"intent": "<intent>", "missions": [{"type": "<mission type>", '
        '"params": {...}, "priority": "high" | "normal" | "low"}], "confidence": <0 to 1>, '
        '"explanation": "<one sentence>"}.\n'
        f"Known intents:\n{intents}\n"
        'If the command asks for anything else, or you are unsure, answer intent "unknown" with no missions and say '
        "why in explanation. Use only names, numbers and addresses that appear in the command; never invent them. "
        "Dates are YYYY-MM-DD, never in the past. At most "
        f"{MAX_PLANNED_MISSIONS} missions."
    )


def decide_by_llm(text: str, *, organization: Organization, today: date) -> Decision:
    """Layer 3: ask the LLM for a CommandPlan; any doubt about the plan refuses the command, nothing runs."""
    from agents import llm

    not_understood = known_commands_message(text)
    if not llm.is_available():
        raise reject(not_understood, summary=f"{shorten(text)} → not understood", note="LLM unavailable")
    messages = [{"role": "system", "content": planner_prompt(today)}, {"role": "user", "content": text}]
    try:
        reply = llm.complete(messages, organization=organization, agent="decision_engine", action="llm.plan",
                             schema=CommandPlan, consent=True, timeout=LLM_PLAN_TIMEOUT_SECONDS)
    except llm.LLMInvalidOutput as exc:
        raise reject(f"the LLM's plan for this command was invalid, so nothing was run: {exc}", layer="llm",
                     summary=f"{shorten(text)} → invalid plan") from None
    except (llm.LLMUnavailable, llm.LLMCallFailed, llm.LLMRequestRejected) as exc:
        # The rules' answer stands: a broken LLM must never turn a command into a 500.
        raise reject(not_understood, summary=f"{shorten(text)} → not understood",
                     note=f"LLM failed: {type(exc).__name__}: {exc}") from None
    except Exception as exc:  # whatever else the model or the SDK throws, intake answers 400, never 500
        logger.exception("the LLM layer failed unexpectedly; answering with the rules' error")
        raise reject(not_understood, summary=f"{shorten(text)} → not understood",
                     note=f"LLM layer error: {type(exc).__name__}") from None
    try:
        plan = reply.parsed if isinstance(reply.parsed, CommandPlan) else CommandPlan.model_validate(reply.parsed)
    except ValidationError as exc:  # a gateway that handed back an unvalidated plan is checked here all the same
        raise reject(f"the LLM's plan for this command was invalid, so nothing was run: "
                     f"{'; '.join(readable_errors(exc))}", layer="llm", summary=f"{shorten(text)} → invalid plan") from None
    if plan.intent == "unknown" or plan.confidence < MIN_LLM_CONFIDENCE:
        why = plan.explanation or "no explanation given"
        raise reject(f"REX could not turn this into a command it knows (confidence {plan.confidence:.2f}): {why}. "
                     f"{known_commands_message(text)}", layer="llm", intent=plan.intent,
                     summary=f"{shorten(text)} → {plan.intent} ({plan.confidence:.2f})")
    specs = []
    for planned in plan.missions:
        try:
            params = clean_params(planned.type, planned.params, today=today)
        except ValueError as exc:
            raise reject(f"the LLM's plan for this command was invalid, so nothing was run: params of {planned.type}: "
                         f"{exc}", layer="llm", intent=plan.intent) from None
        specs.append(MissionSpec(planned.type, params, planned.priority))
    summary = f"{shorten(text)} → {'; '.join(describe(spec) for spec in specs)}"
    return Decision("llm", plan.intent, specs, summary=summary)


# --- carrying a decision out, and recording it ----------------------------------------------------------------------

@dataclass
class CommandResult:
    decision: Decision
    submissions: list[Submission]
    record: CommandDecision

    @property
    def created(self) -> bool:
        return any(submission.created for submission in self.submissions)


def flatten_errors(errors: Any, prefix: str = "") -> list[str]:
    if isinstance(errors, dict):
        return [line for key, value in errors.items()
                for line in flatten_errors(value, key if not prefix else f"{prefix}.{key}")]
    if isinstance(errors, list | tuple):
        return [line for value in errors for line in flatten_errors(value, prefix)]
    return [f"{prefix}: {errors}" if prefix and prefix not in ("type", "non_field_errors") else str(errors)]


def do_command(payload: dict[str, Any], *, organization: Organization, user: Any = None,
               today: date | None = None) -> CommandResult:
    """Decide, then create the decision's missions in one transaction; every decision is recorded.

    A refusal is recorded (outcome "rejected", with the error) and raised again as the CommandRejected it is.
    """
    text = str(payload.get("command") or "")
    decision: Decision | None = None
    try:
        decision = decide(payload, organization=organization, user=user, today=today)
        if decision.answer is not None:
            record = record_decision(organization, user, payload, decision, outcome="answered")
            return CommandResult(decision, [], record)
        if decision.layer != "structured":
            check_agents_installed(decision)
        with transaction.atomic():
            submissions = [
                submit_mission(organization, mission_type=spec.type, params=spec.params, priority=spec.priority,
                               idempotency_key=spec.idempotency_key, requested_by=user)
                for spec in decision.missions
            ]
            record = record_decision(organization, user, payload, decision, outcome="accepted",
                                     missions=[submission.mission for submission in submissions])
        return CommandResult(decision, submissions, record)
    except DecisionRejected as exc:
        record_rejection(organization, user, payload, exc, layer=exc.layer, intent=exc.intent,
                         summary=exc.summary or (decision.summary if decision else shorten(text)))
        raise
    except CommandRejected as exc:
        layer = decision.layer if decision else "structured"
        if decision is not None and layer != "structured":
            # The agent refused what the text was read as: say both, in the free-text field.
            exc = reject(f"understood as: {decision.summary}, but {'; '.join(flatten_errors(exc.errors))}",
                         layer=layer, intent=decision.intent, summary=decision.summary)
        record_rejection(organization, user, payload, exc, layer=layer, intent=decision.intent if decision else "",
                         summary=decision.summary if decision else "")
        raise exc from None


def check_agents_installed(decision: Decision) -> None:
    """Never queue a mission nobody can run: every planned type must have an agent on this server."""
    for spec in decision.missions:
        if registry.get(spec.type) is None:
            raise reject(f"understood as: {decision.summary}, but no agent handles '{spec.type}' on this server yet",
                         layer=decision.layer, intent=decision.intent, summary=decision.summary)


def record_decision(organization: Organization, user: Any, payload: dict[str, Any], decision: Decision, *,
                    outcome: str, missions: Sequence[Mission] = ()) -> CommandDecision:
    record = CommandDecision.objects.create(
        organization=organization, requested_by=user if getattr(user, "pk", None) else None,
        text=str(payload.get("command") or ""), payload=_jsonable(payload), layer=decision.layer,
        intent=decision.intent, outcome=outcome, summary=decision.summary,
    )
    if missions:
        record.missions.add(*{mission.pk: mission for mission in missions}.values())
    return record


def record_rejection(organization: Organization, user: Any, payload: dict[str, Any], exc: CommandRejected, *,
                     layer: str, intent: str, summary: str) -> CommandDecision:
    error = _jsonable(exc.errors)
    note = getattr(exc, "note", "")
    if note:
        error = {**error, "_note": note}
    return CommandDecision.objects.create(
        organization=organization, requested_by=user if getattr(user, "pk", None) else None,
        text=str(payload.get("command") or ""), payload=_jsonable(payload), layer=layer, intent=intent,
        outcome="rejected", summary=summary, error=error,
    )


def _jsonable(value: Any) -> Any:
    """DRF's ErrorDetail strings and other str subclasses as plain JSON."""
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


# --- which layer does the work ------------------------------------------------------------------------------------

def layer_share(organization: Organization, *, since: datetime) -> dict[str, Any]:
    """Decisions per layer since ``since``: counts and shares of the accepted and answered ones, and rejections.

    One aggregate query. Shares are of the decided (accepted + answered) total; rejections are counted apart.
    """
    decided = Q(outcome__in=("accepted", "answered"))
    counts = CommandDecision.objects.filter(organization=organization, created_at__gte=since).aggregate(
        **{f"{layer}_decided": Count("id", filter=decided & Q(layer=layer)) for layer in LAYERS},
        **{f"{layer}_rejected": Count("id", filter=Q(outcome="rejected", layer=layer)) for layer in LAYERS},
    )
    total = sum(counts[f"{layer}_decided"] for layer in LAYERS)
    layers = {}
    for layer in LAYERS:
        count = counts[f"{layer}_decided"]
        share = count / total if total else 0.0
        layers[layer] = {"count": count, "share": round(share, 4), "percent": round(share * 100),
                         "rejected": counts[f"{layer}_rejected"]}
    return {
        "since": since.isoformat(),
        "decided": total,
        "rejected": sum(counts[f"{layer}_rejected"] for layer in LAYERS),
        "layers": layers,
    }
