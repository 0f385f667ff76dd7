"""Rules for replies a person wrote: unsubscribe, not interested, interested, referral, question, other.

``classify_human(text)`` reads the reply's new text (the quoted thread already cut off) in English, German, French,
Spanish or Dutch — every language's phrases are tried on every reply, so no language detection is needed and a
mixed-language reply still matches. Each category's score is its strongest matching phrase (``human_rules``), a
little more when several phrases agree. Phrases are negation-aware: "don't remove me" is not an unsubscribe,
"not interested" / "no nos interesa" / "ça ne m'intéresse pas" are not interest.

Some categories outrank others when both are present, because the stronger one is what REX must act on: an
unsubscribe request wins over everything ("not interested, remove me" → unsubscribe), a referral naming someone
wins over the rest ("not the right person, talk to jane@…" → referral), interest wins over a question ("sounds
good, what does it cost?") and anything wins over a plain acknowledgement. Otherwise, when the two best categories
are within ``TIE_MARGIN`` or the best is below ``min_confidence``, the rules are undecided (``None``): the LLM (with
consent) or a person decides, the rules never guess.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from replies.triage import human_rules as R

RULES_MIN_CONFIDENCE = 0.6
TIE_MARGIN = 0.08
# Who outranks whom when both were found (see the module docstring).
OUTRANKS: dict[str, frozenset[str]] = {
    "unsubscribe": frozenset({"not_interested", "interested", "question", "other", "referral"}),
    "referral": frozenset({"not_interested", "interested", "question", "other"}),
    "interested": frozenset({"question", "other"}),
    "not_interested": frozenset({"question", "other"}),
    "question": frozenset({"other"}),
}

EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}", re.IGNORECASE)
_WORD = re.compile(r"[\w'-]+")
_CLAUSE_END = re.compile(r"[.!?;:,\n()\u2014\u2013]")


@dataclass(frozen=True)
class HumanVerdict:
    category: str
    confidence: float
    referral: dict | None
    reason: str


@dataclass(frozen=True)
class _Rule:
    category: str
    pattern: re.Pattern[str]
    weight: float
    negatable: bool


def _compile(category: str, rules: list[tuple[str, float]], fixed: Iterable[str] = ()) -> list[_Rule]:
    fixed = set(fixed)
    return [_Rule(category, re.compile(p, re.MULTILINE), w, p not in fixed) for p, w in rules]


RULES: list[_Rule] = [
    *_compile("unsubscribe", R.UNSUBSCRIBE, R.FIXED_UNSUBSCRIBE),
    # Not-interested phrases carry their own negation ("not interested"): never cancelled by it.
    *_compile("not_interested", R.NOT_INTERESTED, [p for p, _ in R.NOT_INTERESTED]),
    *_compile("interested", R.INTERESTED),
    *_compile("referral", R.REFERRAL, R.FIXED_REFERRAL),
    *_compile("other", R.OTHER),
    *_compile("question", R.PRICING),
]
_QUESTION_SENTENCE = re.compile(r"(?:^|[.!?¿\n]\s*)(?:[\w'-]+\s+){0,3}?(" + R.QUESTION_WORDS + r")\b[^.!?\n]*\?")


def normalise(text: str) -> str:
    """Lower case, accents stripped, apostrophes straightened, runs of spaces made one: what the phrases expect."""
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'").lower()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return re.sub(r"[ \t\xa0]+", " ", text)


def _negated(text: str, start: int, end: int) -> bool:
    """Whether a negator stands just before the phrase in its clause (or "pas"/"nicht"/"niet" just after it)."""
    before = text[max(0, start - 40):start]
    cut = max((m.end() for m in _CLAUSE_END.finditer(before)), default=0)
    words = _WORD.findall(before[cut:])[-4:]
    if any(w in R.NEGATORS_BEFORE or w.endswith("n't") for w in words):
        return True
    after = text[end:end + 30]
    stop = _CLAUSE_END.search(after)
    return any(w in R.NEGATORS_AFTER for w in _WORD.findall(after[:stop.start() if stop else None])[:2])


def _scores(norm: str) -> tuple[dict[str, float], dict[str, list[str]]]:
    best: dict[str, float] = {}
    found: dict[str, list[str]] = {}
    for rule in RULES:
        match = rule.pattern.search(norm)
        if match is None:
            continue
        if rule.negatable and _negated(norm, match.start(), match.end()):
            found.setdefault("negated", []).append(match.group(0))
            continue
        found.setdefault(rule.category, []).append(match.group(0).strip())
        best[rule.category] = max(best.get(rule.category, 0.0), rule.weight)
    # Several phrases agreeing are a little more certain than one.
    for category, score in best.items():
        best[category] = min(score + 0.03 * (len(found[category]) - 1), 0.97)
    return best, found


def _question_score(norm: str) -> float:
    if "?" not in norm and "¿" not in norm:
        return 0.0
    if "¿" in norm or _QUESTION_SENTENCE.search(norm):
        return 0.75
    return 0.55  # a question mark alone ("Tuesday?") says little


_HONORIFICS = frozenset({"mr", "mrs", "ms", "dr", "frau", "herr", "mme", "m", "mlle", "sr", "sra", "srta", "dhr",
                         "mevr", "mevrouw", "meneer", "madame", "monsieur", "señor", "señora", "senor", "senora"})
_PARTICLES = frozenset({"de", "van", "der", "den", "von", "la", "le", "du", "da", "del", "di", "ter", "ten"})
_NAME_RUN = re.compile(r"[A-ZÀ-ÖØ-Þ][\w'-]+(?:\s+(?:(?:de|van|der|den|von|la|le|du|da|del|di|ter|ten)\s+)*"
                       r"[A-ZÀ-ÖØ-Þ][\w'-]+)*")
_TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def _plain(word: str) -> set[str]:
    """A name as it may appear in an address: "Krüger" → {"kruger", "krueger"}."""
    low = word.lower()
    stripped = "".join(c for c in unicodedata.normalize("NFKD", low) if not unicodedata.combining(c))
    return {stripped, low.translate(_TRANSLIT)}


def _name_for(text: str, email: str) -> str | None:
    """The person an address belongs to, when the reply names them ("Jane Harper (jane.harper@…)"): the run of
    capitalised words that best matches the address's local part; None for role addresses (procurement@ …)."""
    local = re.sub(r"[^a-z]", "", email.split("@")[0].lower())
    if not local:
        return None
    initial = email.split("@")[0][:1].lower()
    best: tuple[float, int, str] | None = None
    for run in _NAME_RUN.finditer(text):
        tokens = [t for t in run.group(0).split() if t.lower().strip(".") not in _HONORIFICS]
        words = [t for t in tokens if t.lower() not in _PARTICLES]
        for i in range(len(words)):
            for j in range(i + 1, min(i + 3, len(words)) + 1):
                window = words[i:j]
                matched = sum(1 for w in window if len(w) >= 3 and any(p in local for p in _plain(w)))
                if not matched:
                    continue
                score = matched + (0.5 if window[0][:1].lower() == initial else 0.0)
                # Prefer two words (first and last name) over one, then over three (a job title before them).
                shape = {2: 2, 1: 1, 3: 0}[len(window)]
                start, end = tokens.index(window[0]), tokens.index(window[-1])
                name = " ".join(tokens[start:end + 1])
                if best is None or (score, shape) > best[:2]:
                    best = (score, shape, name)
    return best[2] if best else None


# A name right after a referral cue, for referrals without an address ("I've moved on, try Jane Doe").
_CUE_THEN_NAME = re.compile(
    r"(?i:\btry|\btalk to|\bspeak (?:to|with)|\breach out to|\bcontact|\bwenden sie sich (?:bitte )?an|"
    r"\bmelden sie sich (?:bitte )?bei|\bcontactez(?: plut[ôo]t)?|\badressez-vous [àa]|\bvoyez avec|\bhable con|"
    r"\bcontacte? con|\bneem contact op met|\bbenader(?: liever)?)\s+"
    r"(?:(?i:my|our|mein(?:e|en)?|unser(?:e|en)?|mon|ma|notre|mi|nuestra?|mijn|onze)\s+(?i:colleague|kolleg\w*|"
    r"coll[èe]gue|compa[ñn]er[oa]|collega)\s+)?(?:(?i:frau|herrn?|mr\.?|ms\.?|mrs\.?|mme|m\.|sr\.?|sra\.?)\s+)?"
    r"(" + _NAME_RUN.pattern + ")"
)


def _referral(text: str, exclude: set[str]) -> dict | None:
    for match in EMAIL.finditer(text):
        email = match.group(0).strip(".'-").lower()
        if email in exclude:
            continue
        return {"email": email, "name": _name_for(text, email)}
    cued = _CUE_THEN_NAME.search(text)
    if cued is not None and len(cued.group(1).split()) >= 2:  # a full name, not a capitalised word
        return {"email": None, "name": cued.group(1)}
    return None


def _verdict(category: str, confidence: float, referral: dict | None, found: dict[str, list[str]]) -> HumanVerdict:
    phrases = ", ".join(repr(p) for p in found.get(category, [])[:3]) or "a question"
    return HumanVerdict(category=category, confidence=round(confidence, 3),
                        referral=referral if category == "referral" else None,
                        reason=f"{category}: {phrases}")


def classify_human(text: str, subject: str = "", *, exclude_emails: Iterable[str] = (),
                   min_confidence: float = RULES_MIN_CONFIDENCE) -> HumanVerdict | None:
    """The category of a person's reply, or None when the rules are not sure (left to the LLM or a person).

    ``text`` is the reply's new text; ``subject`` counts only when it is not a reply's ("Unsubscribe" as the
    subject of a fresh message); ``exclude_emails`` are addresses that cannot be a referral (the sender's own).
    """
    if subject and not re.match(r"^\s*(re|aw|antw|sv|vs|rv|r|ref|tr|wg|fw|fwd)\s?:", subject, re.IGNORECASE):
        text = f"{subject}\n{text}"
    norm = normalise(text).strip()
    if not norm:
        return None
    if re.sub(r"[^\w' ]", "", norm).strip() in R.UNSUBSCRIBE_ALONE:
        return HumanVerdict("unsubscribe", 0.95, None, f"unsubscribe: the reply is only {norm.strip()!r}")

    scores, found = _scores(norm)
    question = _question_score(norm)
    if question:
        scores["question"] = max(scores.get("question", 0.0), question)
        if "question" in scores and question >= scores["question"]:
            found.setdefault("question", []).append("a question with a question mark")

    # A referral is only as good as the person it names: an outside address makes it near-certain, a phrase
    # with no one named is weak (left undecided), an outside address with no phrase is worth asking about.
    referral = _referral(text, {e.lower() for e in exclude_emails})
    if referral is not None and referral["email"]:
        scores["referral"] = min(max(scores.get("referral", 0.0), 0.55) + 0.3, 0.97)
        found.setdefault("referral", []).append(referral["email"])
    elif referral is not None:
        scores["referral"] = min(max(scores.get("referral", 0.0), 0.55) + 0.2, 0.9)
        found.setdefault("referral", []).append(referral["name"])
    elif "referral" in scores:
        scores["referral"] *= 0.7

    decided = {c: s for c, s in scores.items() if s >= min_confidence}
    for category in list(decided):
        for beaten in OUTRANKS.get(category, ()):
            decided.pop(beaten, None)
    if not decided:
        return None
    ranked = sorted(decided.items(), key=lambda cs: cs[1], reverse=True)
    if len(ranked) > 1 and ranked[0][1] - ranked[1][1] < TIE_MARGIN:
        return None
    category, confidence = ranked[0]
    return _verdict(category, confidence, referral, found)
