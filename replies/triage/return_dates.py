"""The first day back, read from an out-of-office text in English, German, French, Spanish or Dutch.

A small hand-written parser rather than ``dateparser``: we need five languages' month and weekday names and a dozen
shapes, but above all the word BEFORE the date ("until" vs "back on"), which a general date parser does not give.

What the date means depends on that word, and ``return_date`` is always the first day back:

- "back on X", "returning X", "ab X wieder", "de retour le X", "de vuelta el X", "terug op X", "vanaf X weer" → X;
- "until X", "through X", "bis X", "jusqu'au X", "hasta el X", "tot (en met) X", and the end of a range
  ("from A to X", "vom A bis X", "du A au X", "del A al X") → the day after X (X is the last day away). No
  weekend or holiday adjustment: "until Friday" gives Saturday; the sender's own schedule skips non-working days.

A "back on" date wins over an "until" date in the same text (it is the more explicit of the two: "away until the
11th, back on Monday the 14th"). A date with no trigger word before it (a start date, a date in a signature) is
ignored. A weekday alone ("back on Monday") is the next such day strictly after ``today``; a day and month without a
year is the next occurrence on or after ``today``. Numeric dates are day-first ("14.12.2026", "14/12/2026",
"18-12-2026") except slashed dates in English text, which are read the US way ("12/14/2026") unless the first
number cannot be a month.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

MONTHS: dict[str, int] = {}
for _number, _names in enumerate([
    "january jan januar jänner janvier janv enero ene januari",
    "february feb februar février fevrier févr fevr febrero februari",
    "march mar märz maerz mär mars marzo maart mrt",
    "april apr avril avr abril",
    "may mai mayo mei",
    "june jun juni juin junio",
    "july jul juli juillet juil julio",
    "august aug août aout agosto ago augustus",
    "september sep sept septembre septiembre setiembre",
    "october oct oktober okt octobre octubre",
    "november nov noviembre novembre",
    "december dec dezember dez décembre decembre déc diciembre dic",
], start=1):
    for _name in _names.split():
        MONTHS[_name] = _number

WEEKDAYS: dict[str, int] = {}
for _number, _names in enumerate([
    "monday montag lundi lunes maandag",
    "tuesday dienstag mardi martes dinsdag",
    "wednesday mittwoch mercredi miércoles miercoles woensdag",
    "thursday donnerstag jeudi jueves donderdag",
    "friday freitag vendredi viernes vrijdag",
    "saturday samstag sonnabend samedi sábado sabado zaterdag",
    "sunday sonntag dimanche domingo zondag",
]):
    for _name in _names.split():
        WEEKDAYS[_name] = _number


def _alternation(names: dict[str, int]) -> str:
    return "|".join(sorted(map(re.escape, names), key=len, reverse=True))


_MONTH = rf"(?P<month>{_alternation(MONTHS)})\.?"
_WEEKDAY = rf"(?:{_alternation(WEEKDAYS)})"
_LEAD = rf"(?:(?P<weekday>{_alternation(WEEKDAYS)}),?\s+(?:the\s+|den\s+|le\s+|el\s+)?)?"
_YEAR = r"(?:,?\s+(?:de\s+)?(?P<year>\d{4}))?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th|er|e|º|\.)?"

DATE_SHAPES = [
    ("iso", rf"{_LEAD}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})\b"),
    ("numeric", rf"{_LEAD}(?P<a>\d{{1,2}})(?P<sep>[./-])(?P<b>\d{{1,2}})(?P=sep)(?P<c>\d{{4}}|\d{{2}})\b"),
    ("numeric_noyear", rf"{_LEAD}(?P<a>\d{{1,2}})\.(?P<b>\d{{1,2}})\.(?!\d)"),
    ("day_month", rf"{_LEAD}{_DAY}\s*(?:of\s+|de\s+)?{_MONTH}(?![a-zà-ü]){_YEAR}"),
    ("month_day", rf"{_LEAD}{_MONTH}\s+{_DAY}(?!\d){_YEAR}"),
    ("weekday", rf"(?P<weekday>{_WEEKDAY})\b"),
]
DATE = re.compile("|".join(f"(?P<{name}>{pattern.replace('(?P<', f'(?P<{name}_')})"
                           .replace("(?P=sep)", f"(?P={name}_sep)")
                           for name, pattern in DATE_SHAPES), re.IGNORECASE)

# The words right before a date that make it the first day back, or the last day away.
RETURN_BEFORE = re.compile(
    r"(?:\bback|\breturn(?:ing|s)?|\bin the office|\bavailable(?: again)?|\breachable|\bbe in"
    r"|\bde retour|\bretour(?: prévu)?|\bserai (?:là|présente?|disponible)|\breprendrai(?: le travail)?"
    r"|\bde vuelta|\bregreso|\bregresaré|\bregresare|\bvuelvo|\bvolveré|\bme reincorporo|\bterug(?: op kantoor)?)"
    r"(?: to the office| in the office| at work| op kantoor)?(?:\s+(?:on|from|le|el|op|vanaf|à partir du|dès le|"
    r"a partir del|the))*\s*$", re.IGNORECASE)
# German "ab"/"am" and Dutch "vanaf"/"op" start a return only when the sentence says "again" (else: start of absence).
RETURN_IF_AGAIN = re.compile(r"(?:\bab(?: dem| den)?|\bam|\bvanaf|\bop)\s*$", re.IGNORECASE)
AGAIN = re.compile(r"\bwieder\b|\bzurück\b|\bweer\b|\bterug\b", re.IGNORECASE)
UNTIL_BEFORE = re.compile(
    r"(?:\buntil|\btill|\btil|\bthrough|\bthru|\bto|\bup to and including|\bbis(?: zum| einschließlich| einschliesslich"
    r"| inklusive| inkl\.)?(?: zum| den)?|\bjusqu['\u2019]?(?:au|à)|\bau|\bhasta(?: el)?|\bal"
    r"|\btot(?: en met)?|\bt/m|\bt\.e\.m\.|[-\u2013])\s*(?:the\s+)?$", re.IGNORECASE)
SENTENCE_END = re.compile(r"[.!?\n](?:\s|$)")


def find_return_date(text: str, *, today: date, english: bool = False) -> date | None:
    """The first day back that ``text`` states, or None; see the module's docstring for the rules."""
    back: date | None = None
    until: date | None = None
    for match in DATE.finditer(text):
        before = text[max(0, match.start() - 60):match.start()]
        sentence = _sentence(text, match.start(), match.end())
        if RETURN_BEFORE.search(before) or (RETURN_IF_AGAIN.search(before) and AGAIN.search(sentence)):
            kind = "back"
        elif UNTIL_BEFORE.search(before):
            kind = "until"
        else:
            continue
        day = _resolve(match, today=today, english=english)
        if day is None:
            continue
        if kind == "back":
            back = back or day
            break
        until = until or day + timedelta(days=1)
    return back or until


def _sentence(text: str, start: int, end: int) -> str:
    left = max((m.end() for m in SENTENCE_END.finditer(text, 0, start)), default=0)
    right = SENTENCE_END.search(text, end)
    return text[left:right.start() if right else len(text)]


def _resolve(match: re.Match[str], *, today: date, english: bool) -> date | None:
    shape = match.lastgroup
    if shape is None:
        return None
    group = {name[len(shape) + 1:]: value for name, value in match.groupdict().items()
             if value is not None and name.startswith(shape + "_")}
    try:
        if shape == "iso":
            return date(int(group["y"]), int(group["m"]), int(group["d"]))
        if shape == "numeric":
            first, second, year = int(group["a"]), int(group["b"]), int(group["c"])
            year += 2000 if year < 100 else 0
            if english and group["sep"] == "/" and first <= 12:
                first, second = second, first    # US: month/day/year
            return date(year, second, first)
        if shape == "numeric_noyear":
            return _next_occurrence(int(group["b"]), int(group["a"]), today)
        if shape in ("day_month", "month_day"):
            month = MONTHS[group["month"].lower()]
            if "year" in group:
                return date(int(group["year"]), month, int(group["day"]))
            return _next_occurrence(month, int(group["day"]), today)
        if shape == "weekday":
            ahead = (WEEKDAYS[group["weekday"].lower()] - today.weekday() - 1) % 7 + 1
            return today + timedelta(days=ahead)
    except (ValueError, KeyError):
        return None
    return None


def _next_occurrence(month: int, day: int, today: date) -> date:
    this_year = date(today.year, month, day)
    return this_year if this_year >= today else date(today.year + 1, month, day)
