"""The phrases a record's own values give: name parts, "Doe, Jane", a company without its legal form, street abbreviations.

Building them is separate from finding them (:mod:`agents.pii.known`): this is the language knowledge (legal
forms, name particles, street words, accent folding), cached per record, while the finder is plain string
scanning.
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

_LEGAL_FORMS = frozenset(
    "gmbh ag kg ohg ug mbh co & und and ltd limited plc llp lp inc incorporated llc corp corporation company "
    "sa sas sasu sarl sàrl eurl sl slu srl spa sapa bv nv vof cv pty pvt private kk gk oy oyj ab asa as aps "
    "ltda eireli me epp sc sca se kgaa ev".split()
)
# Japanese legal forms are written without a space, before or after the name (株式会社サクラ, サクラ株式会社).
_CJK_LEGAL_FORMS = ("株式会社", "有限会社", "合同会社", "合資会社", "合名会社")
# Titles and particles: never matched on their own ("de", "van", "Dr."), only as part of a longer name.
_NAME_PARTICLES = frozenset(
    "mr mrs ms miss dr prof herr frau m mme mlle sr sra srta sig dott de del della di da das dos du la le "
    "van von der den ter ten zu bin al el y e jr ii iii".split()
)
# Street words and their abbreviations (without the dot: an abbreviation's dot is taken only when more of the
# address follows, so a sentence's full stop is never part of the span). German compounds ("Hauptstraße") get
# the abbreviated compound ("Hauptstr.") too.
_STREET_ABBREVIATIONS: dict[str, tuple[str, ...]] = {
    "street": ("st",), "avenue": ("ave", "av"), "road": ("rd",), "boulevard": ("blvd", "bd"), "drive": ("dr",),
    "lane": ("ln",), "place": ("pl",), "court": ("ct",), "square": ("sq",), "calle": ("c/", "c"),
    "avenida": ("avda", "av", "avd"), "paseo": ("pº", "p.º"), "plaza": ("pza", "pl"), "rua": ("r",),
    "piazza": ("p.za", "p.zza"), "viale": ("v.le",), "corso": ("c.so",),
}
_STREET_COMPOUNDS = (("straße", ("str", "strasse")), ("strasse", ("str", "straße")), ("platz", ("pl",)))
_GERMAN_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue", "ß": "ss"})


# A token of a phrase: (its accepted spellings in lower case, whether it must be capitalised in the text -- name
# parts alone: "Rose" the person, not "rose" the flower --, the spellings that may be followed by a dot). A phrase:
# (type, tokens). Plain tuples: a record's phrases are built on every call with a new record, and tuples are the
# cheapest to build.
_Token = tuple[tuple[str, ...], bool, frozenset[str]]
_Phrase = tuple[str, tuple[_Token, ...]]
_NO_DOTS: frozenset[str] = frozenset()


@lru_cache(maxsize=8192)
def _forms(word: str) -> tuple[str, ...]:
    """The lower-case spellings of a word: as written and typed without its accents ("müller", "muller",
    "mueller"); "ß" also as "ss", which is how it comes out of upper-casing ("WEISSMANN")."""
    low = word.lower()
    if low.isascii():
        return (low,)
    plain = "".join(c for c in unicodedata.normalize("NFKD", low.replace("ß", "ss")) if not unicodedata.combining(c))
    german = "".join(c for c in unicodedata.normalize("NFKD", low.translate(_GERMAN_FOLD))
                     if not unicodedata.combining(c))
    return tuple(sorted({low, low.replace("ß", "ss"), plain, german}, key=len, reverse=True))


def _plain(word: str, cased: bool = False) -> _Token:
    return (_forms(word), cased, _NO_DOTS)


_ALL_ABBREVIATIONS = frozenset(s for v in _STREET_ABBREVIATIONS.values() for s in v)


@lru_cache(maxsize=4096)
def _street_token(word: str) -> _Token:
    low = word.lower()
    forms = set(_forms(word))
    dotted: set[str] = set()
    for short in _STREET_ABBREVIATIONS.get(low.rstrip("."), ()):
        forms.add(short)
        dotted.add(short)
    for long, shorts in _STREET_COMPOUNDS:
        if low.endswith(long) and len(low) > len(long):
            for short in shorts:
                forms.add(low[: -len(long)] + short)
                if short == "str":
                    dotted.add(low[: -len(long)] + short)
    if low.endswith(".") and low[:-1] in _ALL_ABBREVIATIONS:
        forms.add(low[:-1])  # the record itself says "St." / "Av.": the text may too, or may spell it out
        dotted.add(low[:-1])
        forms.update(k for k, v in _STREET_ABBREVIATIONS.items() if low[:-1] in v)
    forms.update(f for form in list(forms) for f in _forms(form))
    return (tuple(sorted(forms, key=len, reverse=True)), False, frozenset(dotted))


def _person_phrases(tokens: list[str]) -> list[tuple[_Token, ...]]:
    """Every contiguous part of a name that still names the person: "Jan", "Vries", "de Vries", "García López";
    also "Doe, Jane" (surname first, as CRM exports write it) and "J. Doe". Parts with a single real name
    token are matched only when capitalised."""
    n = len(tokens)
    real = [t.strip(".").lower() not in _NAME_PARTICLES for t in tokens]
    if n == 2 and real[0] and real[1]:  # the common case, spelled out: "Doe, Jane", "Jane", "Doe"
        first, last = _plain(tokens[0]), _plain(tokens[1])
        pair: list[tuple[_Token, ...]] = [(last, first)]
        if len(tokens[0].strip(".")) >= 2:
            pair.append((_plain(tokens[0], True),))
        if len(tokens[1].strip(".")) >= 2:
            pair.append((_plain(tokens[1], True),))
        return pair
    out: list[tuple[_Token, ...]] = []
    if n > 1 and real[0] and sum(real) >= 2:
        out.append(tuple(_plain(t) for t in (*tokens[1:], tokens[0])))
    for i in range(n):
        for j in range(i + 1, n + 1):
            if (i, j) == (0, n) or not real[j - 1]:
                continue
            names = sum(real[i:j])
            if names == 0 or (names == 1 and len(tokens[j - 1].strip(".")) < 2):
                continue
            out.append(tuple(_plain(t, names == 1 and real[i + k]) for k, t in enumerate(tokens[i:j])))
    return out


def _org_core(value: str, tokens: list[str]) -> str | None:
    """The company name without its legal form ("Acme" for "Acme GmbH & Co. KG"), when that is still a name."""
    for form in _CJK_LEGAL_FORMS:
        if value.startswith(form) or value.endswith(form):
            core = value.removeprefix(form).removesuffix(form).strip()
            return core if len(core) >= 2 else None
    kept = list(tokens)
    while len(kept) > 1 and kept[-1].replace(".", "").lower() in _LEGAL_FORMS:
        kept.pop()
    joined = " ".join(kept)
    return joined if len(kept) < len(tokens) and len(joined) >= 3 else None


# A phrase as found from one spelling of its anchor token: (phrase, anchor index, whether no longer spelling of
# the anchor starts with this one -- then the anchor ends right after the spelling found, nearly always).
_Entry = tuple[_Phrase, int, bool]


@lru_cache(maxsize=1024)
def _known_phrases(
    items: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, list[_Entry]], frozenset[str]]:
    """The record's phrases with their anchor token, grouped by the anchor's lower-case spellings (one str.find
    loop each), and the initials of its people's first names ("J." of "J. Doe", found by looking back from
    "Doe"). Spellings keep the order in which the values first give them. The lists are shared with the cache
    of each value's phrases and never changed: where two values give one spelling, a new list joins theirs."""
    by_anchor: dict[str, list[_Entry]] = {}
    initials: frozenset[str] = frozenset()
    for typ, values in items:
        for value in values:
            entries, value_initials = _value_entries(typ, value)
            if by_anchor.keys().isdisjoint(entries):
                by_anchor.update(entries)  # the common case: no spelling shared with another value
            else:
                for form, found in entries.items():
                    have = by_anchor.get(form)
                    by_anchor[form] = found if have is None else have + found
            if value_initials:
                initials |= value_initials
    return by_anchor, initials


@lru_cache(maxsize=4096)
def _value_entries(typ: str, value: str) -> tuple[dict[str, list[_Entry]], frozenset[str]]:
    """The phrases one known value gives, grouped by the spellings of their anchors, and the initials of a person's
    first name. A pure function of the value: a company or a street is the known value of every contact there,
    so a record's phrases are mostly those of values already seen."""
    tokens = value.replace(",", " ").split()
    if not tokens or len("".join(tokens)) < 2:
        return {}, frozenset()
    phrases: list[_Phrase] = []
    initials: set[str] = set()
    if typ == "STREET_ADDRESS":
        phrases.append((typ, tuple([_street_token(t) for t in tokens])))
    else:
        phrases.append((typ, tuple([_plain(t) for t in tokens])))
    if typ == "PERSON" and len(tokens) > 1:
        phrases.extend((typ, p) for p in _person_phrases(tokens))
        if tokens[0][:1].isupper():
            initials.add(tokens[0][0])
            initials.update(f.upper() for f in _forms(tokens[0][0]) if len(f) == 1)  # "É." or "E."
    if typ == "ORGANIZATION":
        core = _org_core(value, tokens)
        if core is not None:
            core_tokens = core.split()
            phrases.append((typ, tuple(_plain(t, len(core_tokens) == 1) for t in core_tokens)))
    # Each phrase is looked for from its longest token (its anchor), then read backwards and forwards: a name's
    # particles ("de", "la") and a street's house number are everywhere in text, the surname or street name is
    # rare.
    entries: dict[str, list[_Entry]] = {}
    for phrase in phrases:
        phrase_tokens = phrase[1]
        anchor, best = 0, -1
        for k, token in enumerate(phrase_tokens):
            shortest = len(token[0][-1])  # forms are sorted longest first
            if shortest > best:
                anchor, best = k, shortest
        forms = phrase_tokens[anchor][0]
        if len(forms) == 1:  # a word without accents: one spelling
            entries.setdefault(forms[0], []).append((phrase, anchor, True))
            continue
        for form in forms:
            longest_here = True
            for other in forms:
                if len(other) > len(form) and other.startswith(form):
                    longest_here = False
                    break
            entries.setdefault(form, []).append((phrase, anchor, longest_here))
    return entries, frozenset(initials)
