"""Which countries' national phone formats a text may use, read from the text itself.

The caller gives one region (the organization's default, ``REX_PII_DEFAULT_REGION``) and the record may add the
contact's (:func:`agents.pii.known._known_phone_regions`); a French note about a German lead still writes French
numbers as "01 23 45 67 89". So the text adds its own hints: the countries of the international numbers it holds
("+33 …"), the country domains of its addresses ("@acme.fr", "www.acme.co.uk"), and the language it is written
in (German → DE, AT, CH; Dutch → NL, BE …). Only the phone stage that accepts *possible* (well-formed, not
necessarily assigned) national numbers reads them, and only for candidates shaped like phone numbers.

Cheap by design: one regex pass over the first 3,000 characters, run at most once per text and only when a
candidate reaches that stage.
"""

from __future__ import annotations

import re
from collections import Counter

import phonenumbers

_SAMPLE = 3000

# Frequent short words of each language, none shared with another language of the list.
_LANG_WORDS = {
    "en": "the and you your with for this that have will please thanks would our hi hello dear call me",
    "de": "und der die das nicht ich sie mit für ist bitte wir ihnen eine auch hallo unter bin",
    "fr": "le les et vous est pour avec une nous dans pas merci votre sur bonjour suis au joignable",
    "es": "el los las y usted para con una por gracias nuestro está muy hola soy al llamar",
    "nl": "het een en niet ik u met voor bedankt wij jullie onze graag hoi ben bel bereikbaar",
    "pt": "o os e você para com uma por obrigado nosso está não",
    "it": "il gli e lei per con una grazie nostro sono della",
}
_WORD_LANG: dict[str, str] = {}
for _lang, _words in _LANG_WORDS.items():
    for _w in _words.split():
        _WORD_LANG.setdefault(_w, _lang)
_LANG_REGIONS = {
    "en": ("GB", "US", "AU", "IE", "CA", "NZ"), "de": ("DE", "AT", "CH"), "fr": ("FR", "BE", "CH", "CA"),
    "es": ("ES", "MX", "AR", "CO"), "nl": ("NL", "BE"), "pt": ("BR", "PT"), "it": ("IT", "CH"),
}
# Literal-first ('+', '0', '.'), the boundary checked after it: the regex engine then skips every other position
# quickly, which a leading lookbehind prevents.
_HINT_RE = re.compile(
    r"[+0.](?:(?:(?<=(?<![\w+])\+)|(?<=(?<![\w+])0)0)(?P<code>[1-9]\d{0,2})(?=[ \u00a0\-.(/]?\d)"
    r"|(?<=[a-z0-9-]\.)(?P<tld>co\.uk|com\.au|com\.br|com\.mx|co\.nz|[a-z]{2})(?![a-z0-9.-]))",
    re.IGNORECASE,
)
# Short lower-case words, looked up in _WORD_LANG: one simple pattern and a dict beat an alternation of words.
_WORD_RE = re.compile(r"[a-zäöüßéèêàçñíóúá](?<![^\W\d_].)[a-zäöüßéèêàçñíóúá]{0,7}(?![^\W\d_])")
_TLD_REGION = {"uk": "GB", "co.uk": "GB", "com.au": "AU", "com.br": "BR", "com.mx": "MX", "co.nz": "NZ"}
_NOT_COUNTRY_TLDS = frozenset(("io", "ai", "co", "me", "tv", "cc", "ly", "to", "fm", "gg", "js", "py", "md", "sh"))


def text_regions(text: str) -> tuple[str, ...]:
    """Regions the text hints at, the strongest hint first (international codes, country domains, language)."""
    codes: list[str] = []
    for m in _HINT_RE.finditer(text, 0, _SAMPLE):
        if m.group("code"):
            code = m.group("code")
            for n in (1, 2, 3):
                regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(int(code[:n])) if len(code) >= n else None
                if regions:
                    codes.extend(r for r in regions[:1] if r != "001")
                    break
        elif m.group("tld"):
            tld = m.group("tld").lower()
            if tld not in _NOT_COUNTRY_TLDS:
                region = _TLD_REGION.get(tld, tld.upper())
                if phonenumbers.country_code_for_region(region):
                    codes.append(region)
    # Counted in C (Counter over a map), not word by word in Python: most words are no language's marker.
    words = Counter(filter(None, map(_WORD_LANG.get, _WORD_RE.findall(text[:_SAMPLE].lower()))))
    out = list(dict.fromkeys(codes))
    if words:
        lang, count = words.most_common(1)[0]
        if count >= 1:
            out.extend(r for r in _LANG_REGIONS[lang] if r not in out)
    return tuple(out)
