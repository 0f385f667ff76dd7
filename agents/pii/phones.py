"""Phone numbers in free text: international forms of any country, national forms of the given regions.

The candidates are the number runs of :mod:`agents.pii.context`; this module rules out the shapes that are
never phones (dates, ISBNs, versions, postcodes, amounts), reads the words before a number, splits runs that
hold two numbers, and asks :mod:`agents.pii.phone_metadata` (or ``phonenumbers.parse`` when in doubt) whether
what is left is a valid number.
"""

# ruff: noqa: RUF001 -- a full-width colon after a Japanese phone word is part of what is matched

from __future__ import annotations

import re
from collections.abc import Callable

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberType

from agents.pii.cards import _CARD_SHAPES
from agents.pii.context import _NON_DIGIT_RE, _PHONE_CAND_RE, _PHONE_WORDS_RE, _SEPS, _neg_context, _number_runs
from agents.pii.overlaps import _Taken
from agents.pii.phone_metadata import (
    _fast_valid,
    _intl_valid,
    _national_prefix,
    _possible_nsn,
    _possible_nsn_for_cc,
    _special_number,
    nsn_valid,
)
from agents.pii.regions import text_regions

# An amount, not a phone: "12 500 000 EUR", "1 299 €".
_CURRENCY_AFTER_RE = re.compile(
    r"\s?(?:[$€£¥₹%]|(?:eur|usd|gbp|chf|jpy|inr|brl|aud|sek|nok|dkk|pln|kg|km|units|stk|pcs)(?![a-z]))",
    re.IGNORECASE,
)


_PHONE_EXT_RE = re.compile(
    r"[ \u00a0]*,?[ \u00a0]*(?:ext\.?|extn\.?|extension|x|Durchwahl|DW|poste|int\.|interno|toestel)"
    r"[ \u00a0]*:?[ \u00a0]*\d{1,6}(?![0-9A-Za-z])",
    re.IGNORECASE,
)
# What follows a candidate, read by one match: an amount's currency (then it is no phone) or else an extension.
_AFTER_RE = re.compile(f"(?P<amount>{_CURRENCY_AFTER_RE.pattern})|{_PHONE_EXT_RE.pattern}", re.IGNORECASE)
_DATE_RE = re.compile(
    r"\d{1,2} \d{1,2} (?:19|20)\d\d|(?:\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2}))"
    r"(?:[ \u00a0]*[\-\u2013/][ \u00a0]*(?:\d{4}[./\-]\d{1,2}[./\-]\d{1,2}|\d{1,2}[./\-]\d{1,2}[./\-](?:\d{4}|\d{2})))?"
)
# "125.0.5189.75": dotted groups with a one-digit group inside are versions; phones with dots have no such group
# ("415.555.0132", "06.12.34.56.78"), except a leading one ("1.800.555.0199").
_VERSION_LIKE_RE = re.compile(r"\d+(?:\.\d+)*\.\d\.\d+(?:\.\d+)*")
# Brazilian CEP 01310-100: a postcode; no phone is written 5-3. (ZIP+4 94105-1234 is not excluded here: German
# numbers are written the same way, 03332-7175, and a US ZIP+4 is never a valid US number anyway.)
_POSTCODE_LIKE_RE = re.compile(r"\d{5}-\d{3}")
_ISBN_RE = re.compile(r"(?:97[89][\- ])?\d{1,5}[\- ]\d{1,7}[\- ]\d{1,7}[\- ][\dX]")
_PIECE_STRIP = frozenset(_SEPS.replace("\\", ""))
_PHONE_SPLIT_RE = re.compile(r"[ \u00a0\u2009\u202f]*/[ \u00a0\u2009\u202f]*|[ \u00a0\u2009\u202f]+")
# Countries whose trunk prefix is 0 but where national numbers are commonly written without it (Indian mobiles
# "98765 43210", Brazilian "(11) 96123-4567", Chinese mobiles).
_TRUNK_ZERO_OPTIONAL = frozenset(("IN", "BR", "CN", "AR", "RU", "TH", "VN"))
_NANPA = frozenset(("US", "CA", "PR", "GU", "VI", "AS", "MP", "BS", "BB", "JM", "TT", "DO", "BM", "KY", "AG"))
# Tried for a national-format number near a phone word when the document's own region does not fit it.
_FALLBACK_REGIONS = ("US", "GB", "DE", "FR", "ES", "IT", "NL", "BE", "CH", "AT", "IN", "BR", "AU", "JP", "CA", "MX",
                     "IE", "SE", "DK", "NO", "FI", "PL", "PT", "CZ", "ZA", "SG", "HK", "CN", "AE", "IL", "NZ")


# phonenumbers does not read every typographic separator as one.
_SEP_NORMALISE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
                                "\u2013": "-"})
# Opening hours "09.30 - 17.30", "8.00-12.00": times, never a phone.
_TIME_RANGE_RE = re.compile(r"\d{1,2}\.\d{2}[ \u00a0]*[\-\u2013][ \u00a0]*\d{1,2}\.\d{2}")
# One call for the shapes that are never phones (dates, ISBNs, version strings, Brazilian postcodes, times).
_NOT_A_PHONE_RE = re.compile(
    f"{_DATE_RE.pattern}|{_ISBN_RE.pattern}|{_VERSION_LIKE_RE.pattern}|{_POSTCODE_LIKE_RE.pattern}"
    f"|{_TIME_RANGE_RE.pattern}"
)
_PHONE_WORD_BEFORE_RE = re.compile(
    r"(?:tel|phone|fon|mobil\w*|cell|call|fax|handy|portable|m[oó]vil|telefone?|telefono|teléfono|celular|"
    r"whatsapp|office|direct|ligue|llame|chiami|appelez|bel|joignable|erreichbar|bereikbaar|localizable|電話|携帯)"
    r"[\s.:：()/\-]{0,4}(?:au|unter|op|al|at|on)?[\s.:：]{0,2}$",
    re.IGNORECASE,
)
# A date with a four-digit year anywhere in the run ("2025 - 2025-06-05"): only its pieces can be phones.
_DATE_INSIDE_RE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d|[0-3]?\d[./][01]?\d[./](?:19|20)\d\d")
# _NOT_A_PHONE_RE over the whole candidate or a date inside it, in one call.
_NOT_A_PHONE_OR_DATED_RE = re.compile(rf"\A(?:{_NOT_A_PHONE_RE.pattern})\Z|{_DATE_INSIDE_RE.pattern}")
_DIRECT_DIAL_RE = re.compile(r"-\d{1,4}$")
_NO_TRUNK_TYPES = frozenset((PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN,
                             PhoneNumberType.PREMIUM_RATE))


def _phone_valid(cand: str, region: str, fallback: bool, digits: str = "") -> bool:
    """Whether the candidate string is a valid number: international forms for any country, national forms
    for ``region`` (and, with ``fallback``, for a handful of common regions). ``digits``: the candidate's
    digits when the caller has read them already; a national form is then not read again for every region."""
    if cand[0] == "+":
        regions: tuple[str | None, ...] = (None,)
        number = cand
    elif cand.startswith("(+"):  # "(+44) 20 7946 0958"
        regions, number = (None,), cand[1:].replace(")", " ", 1)
    elif cand.startswith("00") and not cand.startswith("000"):
        regions, number = (None,), "+" + cand[2:]
    elif cand.startswith("011") and region in _NANPA:
        regions, number = (None,), "+" + cand[3:]
    else:
        number = cand
        regions = (region, *(r for r in _FALLBACK_REGIONS if r != region)) if fallback else (region,)
    lead = cand.lstrip("(")
    if regions[0] is not None and not digits:
        # Read once here, not once per region tried (with ``fallback``, up to 31 regions).
        digits = _NON_DIGIT_RE.sub("", cand)
    if not number.isascii():  # the separators phonenumbers does not read are all outside ASCII
        number = number.translate(_SEP_NORMALISE)
    for r in regions:
        # A nationally written number in a country with trunk prefix 0 always starts with it; without this,
        # order numbers like 4532-1188-0093 pass as valid German numbers. The exception: non-geographic
        # numbers that have no trunk prefix (Australian 1300 / 1800, Irish 1850).
        special_only = False
        if r is not None and _national_prefix(r) == "0" and not lead.startswith("0") and r not in _TRUNK_ZERO_OPTIONAL:
            if not lead.startswith("1"):
                continue
            special_only = True
        if special_only and r is not None:  # special_only implies a region; the test tells the type checker
            quick = _special_number(number, r, digits)
        else:
            quick = _fast_valid(number, r is None, r, digits)
        if quick is not None:
            if quick:
                return True
            continue
        try:
            num = phonenumbers.parse(number, r)
        except NumberParseException:
            continue
        # nsn_valid is phonenumbers.is_valid_number with the metadata's patterns compiled once (tested equal).
        if nsn_valid(num.country_code or 0, phonenumbers.national_significant_number(num)) \
                and (not special_only or phonenumbers.number_type(num) in _NO_TRUNK_TYPES):
            return True
    return False


def _valid_in(cand: str, regions: tuple[str, ...], fallback: bool, digits: str = "") -> bool:
    for r in regions:  # a loop, not any() over a generator: most calls have one region
        if _phone_valid(cand, r, fallback, digits):
            return True
    return False


# Shapes people write phone numbers in, for numbers that are possible but not assigned: NANP 3-3-4 with an
# optional 1 and brackets, a 3-4 local number; anything else needs separators between groups.
_NANP_SHAPE_RE = re.compile(r"(?:\+?1[ \-.]?)?(?:\(\d{3}\)[ \-.]?|\d{3}[ \-.])\d{3}[ \-.]\d{4}")
_NANP_LOCAL_RE = re.compile(r"[2-9]\d{2}[ \-]\d{4}")
# "VAT No. GB 123 4567 89", "USt-IdNr. DE 123 456 789", "RCS Paris B 039 185 437": a country code or a register
# letter right before makes the number a tax or company ID;
# "#013 684 7907": digits or '#' right before make it the rest of a reference.
_CODE_OR_NUMBER_BEFORE_RE = re.compile(r"(?:(?<![A-Za-z])[A-Z]{1,2}|[#\d])[ \u00a0]?$")
# An SSN's shape (also with an area no SSN has, "666-00-0186"): never a possible phone.
_SSN_SHAPE_RE = re.compile(r"\d{3}-\d{2}-\d{4}")
_GROUPING = frozenset(" \u00a0\u2009\u202f.-/()\u2010\u2011\u2013")
# A group of one digit inside a national number ("1 234 567 8") is how amounts and counts are written, not phones.
_ONE_DIGIT_GROUP_RE = re.compile(r"(?<!\d)\d(?!\d)")


class _RegionHints:
    """The text's own region hints (:func:`agents.pii.regions.text_regions`), read on first need only."""

    def __init__(self, text: str, regions: tuple[str, ...]) -> None:
        self.text = text
        self.regions = regions
        self._all: tuple[str, ...] | None = None

    def __call__(self) -> tuple[str, ...]:
        if self._all is None:
            self._all = self.regions + tuple(r for r in text_regions(self.text) if r not in self.regions)
        return self._all


class _Once:
    """A yes/no read from the text around a candidate only when first asked for: the phone-word searches cost
    more than most of the checks that make them unnecessary."""

    __slots__ = ("_read", "_value")

    def __init__(self, read: Callable[[], bool]) -> None:
        self._read = read
        self._value: bool | None = None

    def __call__(self) -> bool:
        if self._value is None:
            self._value = self._read()
        return self._value


def _yes() -> bool:
    return True


def _possible(cand: str, regions: tuple[str, ...], worded: Callable[[], bool], own: int = 1,
              word_right_before: Callable[[], bool] = lambda: False, hinted: _RegionHints | None = None) -> bool:
    """Whether the candidate is a well-formed number (right length and, for national forms, the country's
    general number shape) in one of ``regions``, assigned to a carrier or not: synthetic data, test numbers and
    typos are personal data all the same. International forms need only a possible length after the country
    code; national forms need the groups and brackets people write (or a phone word before them). The first
    ``own`` regions are the document's own (given by the caller or the record); in the others, those only hinted
    at by the text, a number without trunk prefix (Spain, Italy, Mexico; Brazil without area code) needs a phone
    word, since a bare 9- or 10-digit group there is as likely a company or bank number. With ``hinted``, the
    regions the text hints at follow ``regions``; they are read from the text only when ``regions`` do not
    decide (reading them is a pass over the text)."""
    intl = cand[0] == "+" or cand.startswith("(+") or (cand.startswith("00") and not cand.startswith("000"))
    digits = _NON_DIGIT_RE.sub("", cand.replace("(0)", "", 1))
    if intl:
        if cand.startswith("00"):
            digits = digits[2:]
        for n in (1, 2, 3):
            if len(digits) > n and int(digits[:n]) in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                nsn = digits[n:]
                return _possible_nsn_for_cc(int(digits[:n]), nsn.removeprefix("0") if nsn[:2] != "00" else nsn)
        return False
    grouped = any(c in _GROUPING for c in cand)
    if not grouped and not worded():
        return False
    if grouped and cand[0] != "(" and _ONE_DIGIT_GROUP_RE.search(cand) and not cand.startswith(("1 ", "1-", "1.")):
        return False
    if _SSN_SHAPE_RE.fullmatch(cand):
        return False
    for index, region in enumerate(regions):
        if _possible_in(region, cand, digits, grouped, _yes if index < own else worded, word_right_before):
            return True
    if hinted is not None:
        for index, region in enumerate(hinted()[len(regions):], start=len(regions)):
            if _possible_in(region, cand, digits, grouped, _yes if index < own else worded, word_right_before):
                return True
    return False


def _possible_in(region: str, cand: str, digits: str, grouped: bool, vouched: Callable[[], bool],
                 word_right_before: Callable[[], bool]) -> bool:
    """:func:`_possible` for one national region."""
    if region in _NANPA:
        national = digits[1:] if len(digits) == 11 and digits[0] == "1" else digits
        if len(national) == 10 and (not grouped or _NANP_SHAPE_RE.fullmatch(cand)):
            return True
        # A local number without area code ("555 0134") is written like a Japanese postcode or a part
        # number: only with a phone word before it.
        return len(national) == 7 and _NANP_LOCAL_RE.fullmatch(cand) is not None and word_right_before()
    prefix = _national_prefix(region)
    if prefix == "0":
        if digits[0] == "0":
            return digits[1:2] != "0" and _possible_nsn(region, digits[1:])
        return region in _TRUNK_ZERO_OPTIONAL and grouped and (len(digits) >= 10 or vouched()) \
            and _possible_nsn(region, digits)
    return prefix is None and _possible_nsn(region, digits) and vouched()


# The last answer of _refused_by_words_before: (text, start, refused). A run that is no phone is asked again by
# _find_phones before it is split into pieces, right after _phone_at asked (~1,500 of ~2,900 such runs a pass).
# One tuple, replaced whole, so that a thread never reads one text's answer for another.
_last_refusal: tuple[str, int, bool] = ("", -1, False)


def _refused_by_words_before(text: str, s: int) -> bool:
    """``_neg_context`` with the phone words, remembered for the last number asked about."""
    global _last_refusal
    last = _last_refusal
    if last[1] == s and last[0] is text:
        return last[2]
    refused = _neg_context(text, s, _PHONE_WORDS_RE)
    _last_refusal = (text, s, refused)
    return refused


def _phone_at(text: str, s: int, e: int, regions: tuple[str, ...],
              hints: _RegionHints | None = None, piece: bool = False) -> tuple[int, int] | None:
    cand = text[s:e]
    digits = _NON_DIGIT_RE.sub("", cand)
    if not 7 <= len(digits) <= 17:
        return None
    if cand[0] not in "+(" and _NOT_A_PHONE_OR_DATED_RE.search(cand):
        return None
    after = _AFTER_RE.match(text, e)
    if after is not None and after.start("amount") != -1:
        return None
    end = after.end() if after is not None else e  # with its extension, if any
    # A number written with its country code is a phone number whatever precedes it; any other number may be
    # an order, invoice or customer number, which the words before it say.
    if cand[0] != "+" and _refused_by_words_before(text, s):
        return None
    # "+49 30 1234567": whatever the regions, validated from the digits already read, without the round of
    # _valid_in and _phone_valid that national forms need (the same answer: _phone_valid reads a '+' number so).
    valid = _intl_valid(digits) if cand[0] == "+" and "(0)" not in cand else None
    if valid is None:
        valid = _valid_in(cand, regions, False, digits)
    if not valid:
        # German-speaking offices write the extension as a suffix: "030 1234567-40", "-0" for the switchboard.
        suffix = _DIRECT_DIAL_RE.search(cand)
        if suffix is not None and _valid_in(cand[: suffix.start()], regions, False):
            return (s, end)
        # A national number of another country is taken right after a phone word ("UK office: call
        # 020 7946 0958"), where the word vouches for it; elsewhere such a number is as likely an account number.
        # Failing that, a number that is possible (not assigned) in the document's regions or those the text
        # hints at, and written the way phone numbers are.
        # The cheap, cached possible-number check comes first; the fallback regions' validity (a parse() per
        # region for many numbers) only when it fails.
        worded = _Once(lambda: _PHONE_WORD_BEFORE_RE.search(text, max(0, s - 18), s) is not None)
        near = _Once(lambda: worded() or _PHONE_WORDS_RE.search(text, max(0, s - 40), s) is not None)
        # Pieces of a longer run (a bank account's groups) must be valid numbers, not merely possible ones.
        possible = not piece and _CODE_OR_NUMBER_BEFORE_RE.search(text, max(0, s - 3), s) is None and _possible(
            cand, regions, near, len(regions), worded,
            hints)
        if not possible and not (worded() and _phone_valid(cand, regions[0], True)):
            return None
    return (s, end)


_GROUP_RE = re.compile(r"\d+")


def _card_shaped(text: str, s: int, e: int) -> bool:
    """Whether the run is grouped like a printed card (4-4-4-4, 4-6-5 …) with 12-19 digits."""
    groups = tuple(len(g) for g in _GROUP_RE.findall(text, s, e))
    return 12 <= sum(groups) <= 19 and groups in _CARD_SHAPES


def _find_phones(text: str, region: str | tuple[str, ...], taken: _Taken | None = None,
                 runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Phone numbers: international forms from any country, national forms of ``region`` (or of each region of
    a tuple, the document's first)."""
    regions = (region,) if isinstance(region, str) else region
    hints = _RegionHints(text, regions)
    out: list[tuple[int, int, str]] = []
    last_end = -1
    for s, e in _number_runs(text) if runs is None else runs:
        if (taken is not None and taken.overlaps(s, e)) or s < last_end:
            continue  # inside a better-ranked span, or the extension of the phone number just found
        hit = _phone_at(text, s, e, regions, hints)
        if hit is not None and text[s].isdigit():
            # "17/08/2023 8.00": a date in front of another number is never part of a phone; only the pieces are.
            # (Read only for a run that would otherwise be a phone: most runs are not.)
            dated = _DATE_RE.match(text, s, e)
            if dated is not None and dated.end() < e and text[dated.end()] in " \u00a0\u202f":
                hit = None
        if hit is not None:
            out.append((hit[0], hit[1], "PHONE"))
            last_end = hit[1]
            continue
        if e - s < 12 or _refused_by_words_before(text, s) or _card_shaped(text, s, e):
            continue  # a card-shaped run that is no card (it failed Luhn) holds no phone either
        # The run may hold two numbers ("030 1234567 / 0151 2345678") or a number with a neighbour ("2 x 0151
        # 2345678"): try the pieces between spaces or slashes, longest first, never inside a digit group.
        cuts = [(c.start(), c.end()) for c in _PHONE_SPLIT_RE.finditer(text, s, e)][:4]
        pieces: set[tuple[int, int]] = set()
        for a, b in cuts:
            pieces.add((s, a))
            pieces.add((b, e))
        found_here: list[tuple[int, int]] = []
        for ps, pe in sorted(pieces, key=lambda p: p[0] - p[1]):
            while ps < pe and text[ps] in _PIECE_STRIP:
                ps += 1
            while pe > ps and text[pe - 1] in _PIECE_STRIP:
                pe -= 1
            if pe - ps < 7 or any(ps < te and ts < pe for ts, te in found_here) \
                    or not _PHONE_CAND_RE.fullmatch(text, ps, pe):
                continue
            hit = _phone_at(text, ps, pe, regions, hints, piece=True)
            if hit is not None:
                found_here.append(hit)
        out.extend((a, b, "PHONE") for a, b in found_here)
    return out
