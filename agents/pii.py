"""PII detection in free text and reversible pseudonymisation before any LLM call.

What is found (docs/pii.md has the rules, the command and the known limits):

- structured values, each validated so that look-alikes are not flagged: EMAIL (a pragmatic RFC 5322 subset,
  plus "jane [at] acme [dot] de"), PHONE (number runs validated against ``phonenumbers``' metadata: national
  formats of the given region, international formats of any country), CREDIT_CARD (13-19 digits, issuer
  prefix, Luhn), IBAN (country length table, mod-97), US_SSN (area / group / serial rules), IP_ADDRESS (IPv4,
  IPv6 via ``ipaddress``); words right before a number ("Order #", "Rechnung Nr.", "ISBN", a carrier's name)
  veto numbers that are references, not personal data;
- the known values of the record being processed (PERSON, ORGANIZATION, STREET_ADDRESS, or any other type):
  case-insensitive, whitespace-tolerant, on word boundaries, with or without accents; also a person's first or
  last name alone, "Doe, Jane", "J. Doe", a company without its legal form, a street with its usual
  abbreviation.

Pseudonymisation replaces each span by ``<TYPE_N>``; a :class:`Pseudonyms` keeps the mapping so the gateway can
put the real values back into the LLM's answer (:meth:`Pseudonyms.restore`) and can store it meanwhile.

Speed matters (every prompt and every stored answer goes through here; target >= 5 MB/s, measured by
``bench/pii.py``): the text is scanned once for number runs, shared by cards and phones; other detectors start
from cheap literal seeds ('@', a dot, "-dd-dddd", two letters before two digits); phone validation uses
``phonenumbers``' metadata with the patterns compiled once (``nsn_valid``) and its parser only for the few
formats that need it; known values are found with ``str.find``, never with a regex compiled per record.
"""

# ruff: noqa: RUF001, RUF003 -- typographic dashes, NBSPs and full-width characters are what this module is about

from __future__ import annotations

import ipaddress
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import phonenumbers
from phonenumbers import NumberParseException, PhoneMetadata, PhoneNumberType

PII_TYPES: tuple[str, ...] = (
    "EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "IP_ADDRESS", "PERSON", "ORGANIZATION", "STREET_ADDRESS",
)


@dataclass(frozen=True)
class Span:
    """One detected value: ``text[start:end]`` is of PII type ``type``."""

    type: str
    start: int
    end: int

    def as_dict(self) -> dict[str, Any]:
        return {"type": self.type, "start": self.start, "end": self.end}


class LLMConsentMissing(Exception):
    """The contact has not consented to their data reaching an LLM: skip the LLM step, let the rules answer."""


# --- shared character classes -------------------------------------------------------------------------------------

# "Letter or digit" for boundaries. Deliberately not \w: CJK text writes numbers right next to its characters
# ("電話03-1234-5678"), which must still count as a boundary.
_AN = "0-9A-Za-z_\u00c0-\u024f"
_SEPS = " \u00a0\u2009\u202f.\\-/\u2010\u2011\u2013"  # separators people put inside numbers (incl. NBSP, dashes)
_DIGIT_RE = re.compile(r"\d")
_NON_DIGIT_RE = re.compile(r"\D+")
_NON_ALNUM_RE = re.compile(r"[^0-9A-Za-z]+")

# An amount, not a phone: "12 500 000 EUR", "1 299 €".
_CURRENCY_AFTER_RE = re.compile(
    r"\s?(?:[$€£¥₹%]|(?:eur|usd|gbp|chf|jpy|inr|brl|aud|sek|nok|dkk|pln|kg|km|units|stk|pcs)(?![a-z]))",
    re.IGNORECASE,
)
# Words that make a number next to them a phone number.
_PHONE_WORDS_RE = re.compile(
    r"tel|phone|fon|mobil|cell|call|fax|whatsapp|handy|portable|m[oó]vil|telefo|celular|ring|dial|sms|"
    r"contact|reach|rufen|erreichbar|appel|joindre|joignable|chiam|ligue|ligar|llam|bel|電話|携帯",
    re.IGNORECASE,
)

# Words that, right before a number, say it is not personal data (order numbers, invoices, ISBNs, carriers'
# tracking numbers, ...). "Strong" ones win even when a phone word is near; "weak" ones ("no.", "number", "id")
# lose against a phone / card / SSN word right before them ("Tel. no. ...").
_STRONG_NEG_WORDS = frozenset("""
    order orders ordered invoice inv ref reference ticket case tracking track shipment parcel package isbn issn
    ean upc gtin sku po part article art item serial s/n sn customer client account acct contract policy booking
    reservation confirmation transaction txn batch lot model version ver build release firmware fw rev revision
    section chapter clause iban bic swift routing aba vat tax ust-id ustid siret siren kvk cif nif partita iva
    cnpj cpf gst pan abn acn zip postcode plz cap cep pin bestellung bestellnr bestellnummer rechnung rechnungsnr
    rechnungsnummer kundennummer kundennr auftrag auftragsnummer auftragsnr sendungsnummer vorgang aktenzeichen
    az commande facture référence colis dossier bestelling bestelnummer factuur factuurnummer zending pedido
    factura referencia envío envio ordine fattura riferimento spedizione fiscal protocolo rastreamento chamado
    ups fedex dhl usps gls dpd hermes tnt colissimo chronopost correos postnl nf-e nfe nf ein duns blz steuer
    medicare medicaid nhs sociale sécurité securite insurance versicherung versichertennummer imei iccid
    chrome firefox safari edge opera ios android windows macos linux ubuntu
""".split())
# Short codes that are ordinary words in lower case ("so", "po", "az").
_STRONG_NEG_UPPER = frozenset(("SO", "PO", "AZ", "PN", "SN", "OID", "REF", "TIN"))
_WEAK_NEG_WORDS = frozenset("no nr num n number numero número nummer id".split())
# Portuguese and Spanish "no" is a preposition ("ligar no +55 ..."): these count only as abbreviations, with
# their punctuation ("No.", "n.º", "nº").
_WEAK_NEEDS_PUNCT = frozenset(("no", "n"))
_NUMBER_SUFFIXES = ("nummer", "number", "nr", "numero", "número", "nummer")
_CURRENCY_WORDS = frozenset("eur usd gbp chf jpy inr brl aud cad sek nok dkk pln".split())
_CURRENCY_SIGNS = frozenset("$€£¥₹〒")
_IBAN_RUN_RE = re.compile(r"(?<![0-9A-Za-z])[A-Z]{2}\d{2}(?: [0-9A-Z]{4})+ $")


# Read on the reversed 32 characters before a number, so that one anchored match (not a search through the
# window) yields: the punctuation right before the number, the word before it, the gap, the word before that.
_CTX_CLASS = "[\\s.:#°º=\\-§]"
_REV_CONTEXT_RE = re.compile(rf"({_CTX_CLASS}*)((?:[^\W_]|[-/'])*)({_CTX_CLASS}*)((?:[^\W_]|[-/'])*)")


def _neg_context(text: str, start: int, positive: re.Pattern[str] | None) -> bool:
    """True when the words right before ``start`` say the number there is a reference, an amount or the rest of
    a code (a failed IBAN, a tracking number), not personal data."""
    lo = start - 32 if start > 32 else 0
    rev = text[lo:start][::-1]
    m = _REV_CONTEXT_RE.match(rev)
    tail, word = m.group(1), m.group(2)[::-1].strip("-/'")  # type: ignore[union-attr]
    if "#" in tail or "§" in tail:
        return True
    if not word:
        return rev[len(tail):len(tail) + 1] in _CURRENCY_SIGNS
    if tail == " " and not word.isalpha() and not word.isdigit() and any(c.isdigit() for c in word) \
            and any(c.isalpha() for c in word):
        return True  # the number continues a code: "1Z 508 AA2 83 7349", "DE12 3456 ..." (a failed IBAN)
    lw = word.lower().rsplit("'", 1)[-1]  # "l'ordine", "d'ordre"
    if tail == " " and len(word) == 4 and word.isupper() and _IBAN_RUN_RE.search(text, lo, start):
        return True  # "GB29 MZYP 9565 ...": inside an IBAN that failed its checksum
    if lw in _STRONG_NEG_WORDS or lw in _CURRENCY_WORDS or word in _STRONG_NEG_UPPER:
        return True
    if ("-" in lw or "/" in lw) and any(part in _STRONG_NEG_WORDS for part in lw.replace("/", "-").split("-")):
        return True  # "Steuer-ID", "Kto.-Nr"
    if lw.endswith("番号"):  # Japanese "... number": order, account, corporate number; not 電話番号 / 携帯番号
        return not lw.endswith(("電話番号", "携帯番号", "連絡先番号"))
    if lw.endswith(_NUMBER_SUFFIXES) and lw not in _WEAK_NEG_WORDS and not _PHONE_WORDS_RE.search(lw):
        return True  # compounds: "Kundennummer", "ordernummer", "Rechnungsnr" (but not "Telefonnummer")
    if lw in _WEAK_NEG_WORDS and (lw not in _WEAK_NEEDS_PUNCT or any(c in tail for c in ".:#°º")):
        prev = m.group(4)[::-1].strip("-/'").lower()  # type: ignore[union-attr]
        if prev in _STRONG_NEG_WORDS:
            return True
        # Only a phone / card / SSN word right before the "no." rescues the number ("Tel. no. ...").
        word_start = start - len(tail) - len(m.group(2))  # type: ignore[union-attr]
        return positive is None or positive.search(text, max(0, word_start - 24), word_start) is None
    return False


# --- e-mail ---------------------------------------------------------------------------------------------------------

# Searched backwards from each '@' (the local part must end right before it) and forwards for the domain, so the
# cost is proportional to the number of '@' signs, not to the length of the text.
# Accented Latin letters are accepted in the local part and the domain labels ("jürgen@münchen.de"): better the
# whole address than a placeholder for its ASCII tail with "jü" left in clear. CJK is not, since CJK text runs
# right up to an address without a space.
_EMAIL_LOCAL_RE = re.compile(r"[A-Za-z0-9_%+\-\u00c0-\u024f]+(?:['.][A-Za-z0-9_%+\-\u00c0-\u024f]+)*")
_EMAIL_DOMAIN_RE = re.compile(
    r"(?:[A-Za-z0-9\u00c0-\u024f](?:[A-Za-z0-9\-\u00c0-\u024f]{0,61}[A-Za-z0-9\u00c0-\u024f])?\.)+"
    r"[A-Za-z]{2,24}(?![A-Za-z0-9\-@_\u00c0-\u024f]|\.[A-Za-z0-9])"
)
_EMAIL_MAX_LOCAL = 64


def _find_emails(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    at = text.find("@")
    last_end = 0
    while at != -1:
        lo = max(last_end, at - _EMAIL_MAX_LOCAL)
        # The local part is read backwards from the '@' (one anchored match on the reversed window; its pattern
        # is its own mirror image).
        local = _EMAIL_LOCAL_RE.match(text[lo:at][::-1])
        if local is not None:
            dom = _EMAIL_DOMAIN_RE.match(text, at + 1)
            if dom is not None:
                out.append((at - local.end(), dom.end(), "EMAIL"))
                last_end = dom.end()
                at = text.find("@", last_end)
                continue
        at = text.find("@", at + 1)
    return out


# Addresses written against scrapers: "jane.doe [at] acme [dot] de", "jane(at)acme.de". The spelled-out form
# "jane at acme dot de" is only taken with a known top-level domain at its end, since "at" is an ordinary word.
_OBF_HINTS = ("at]", "at)", " dot ")
_OBF_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9_%+\-.])[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)*"
    r"\s?[\[(]at[\])]\s?"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?(?:\.|\s?[\[(]dot[\])]\s?))+[A-Za-z]{2,24}"
    r"(?![A-Za-z0-9])"
    r"|(?<![A-Za-z0-9_%+\-.])[A-Za-z0-9_%+\-]+(?:\.[A-Za-z0-9_%+\-]+)* at "
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])? dot )+"
    r"(?:com|org|net|edu|gov|io|co|info|biz|eu|de|fr|uk|nl|es|it|br|au|jp|in|ch|at|be|us|ca|se|dk|no|pl|pt|ie|nz)"
    r"(?![A-Za-z0-9])",
    re.IGNORECASE,
)


def _find_obfuscated_emails(text: str, low: str | None = None) -> list[tuple[int, int, str]]:
    low = text.lower() if low is None else low
    out: dict[tuple[int, int, str], None] = {}
    n = len(text)
    for hint in _OBF_HINTS:
        i = low.find(hint)
        while i != -1:
            # Only around the "(at)" / " dot " itself: the full pattern is too costly to run over all the text.
            for m in _OBF_EMAIL_RE.finditer(text, max(0, i - 80), min(n, i + 200)):
                if m.start() <= i < m.end():
                    out[(m.start(), m.end(), "EMAIL")] = None
            i = low.find(hint, i + 1)
    return list(out)


# --- IBAN -------------------------------------------------------------------------------------------------------------

IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20,
    "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18, "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25,
    "QA": 29, "RO": 24, "RS": 22, "RU": 33, "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27,
    "SO": 23, "ST": 25, "SV": 28, "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
}
# Greedy on purpose: the country's length then decides where the IBAN really ends (a following word may have been
# swallowed by the optional spaces).
_IBAN_RE = re.compile(r"(?<![0-9A-Za-z])[A-Za-z]{2}\d{2}(?:[ \u00a0\-]?[0-9A-Za-z]){10,31}")
_ALNUM_CHAR_RE = re.compile(r"[0-9A-Za-z]")
_IBAN_SEED_RE = re.compile(r"\d(?<=[A-Za-z][A-Za-z]\d)\d")


def iban_valid(iban: str) -> bool:
    """Country length and ISO 7064 mod-97 check of an IBAN written without separators."""
    iban = iban.upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isalnum() or not iban[2:4].isdigit():
        return False
    moved = iban[4:] + iban[:4]
    return int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


def _find_ibans(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    pos = 0
    # Seeded by the check digits right after two letters ("DE|89"): scanning for a digit is much faster than
    # scanning every letter of the text for a possible country code.
    for seed in _IBAN_SEED_RE.finditer(text):
        if seed.start() - 2 < pos:
            continue
        m = _IBAN_RE.match(text, seed.start() - 2)
        if m is None:
            continue
        s = m.start()
        pos = s + 4
        length = IBAN_LENGTHS.get(text[s:s + 2].upper())
        if length is None:
            continue
        chars = [c.start() for c in _ALNUM_CHAR_RE.finditer(text, s, m.end())]
        if len(chars) < length:
            continue
        e = chars[length - 1] + 1
        if e < len(text) and text[e].isalnum():  # the IBAN would end inside a word or a longer number
            continue
        compact = _NON_ALNUM_RE.sub("", text[s:e])
        if iban_valid(compact):
            out.append((s, e, "IBAN"))
            pos = e
    return out


# --- credit cards -----------------------------------------------------------------------------------------------------

# The boundary check comes after the first digit: a pattern that starts with a character class is scanned much
# faster than one that starts with a lookbehind.
_CARD_RE = re.compile(
    rf"\d(?<![{_AN}\-/#+]\d)(?<!\d[.,]\d)(?:[ \u00a0\-.]?\d){{12,22}}+(?![{_AN}]|[.,\-/]\d)"
)
_CARD_GROUPS_RE = re.compile(r"\d+")
# Group lengths as printed on cards and receipts (Visa/MC/Discover 4-4-4-4, 19-digit 4-4-4-4-3, Amex 4-6-5,
# Diners 4-6-4, 13-digit Visa 4-4-5).
_CARD_SHAPES = {(4, 4, 4, 4), (4, 4, 4, 4, 3), (4, 6, 5), (4, 6, 4), (4, 4, 5), (4, 4, 4, 3), (4, 4, 4, 4, 2),
                (4, 4, 4, 4, 1), (4, 4, 4, 2), (4, 4, 4, 1), (5, 5, 5), (5, 5, 6)}
_CARD_WORDS_RE = re.compile(r"card|karte|carte|tarjeta|carta|cart[aã]o|visa|master|amex|cc|pan\b", re.IGNORECASE)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


def _card_issuer_ok(d: str) -> bool:
    """Whether the number starts like a card of some issuer and has that issuer's length (IIN ranges)."""
    n = len(d)
    p2 = int(d[:2])
    if d[0] == "4":
        return n in (13, 16, 19)
    if 51 <= p2 <= 55 or 2221 <= int(d[:4]) <= 2720:
        return n == 16
    if p2 in (34, 37):
        return n == 15
    if p2 in (36, 38, 39) or 300 <= int(d[:3]) <= 305:
        return 14 <= n <= 19
    if p2 == 35:
        return 16 <= n <= 19
    if d[0] == "6" or p2 == 50 or 56 <= p2 <= 59:
        return 16 <= n <= 19  # Discover, UnionPay, Maestro: the short Maestro lengths are too rare to risk
    return False


def _card_ok(groups: list[tuple[int, int]], text: str) -> bool:
    digits = "".join(text[a:b] for a, b in groups)
    if not 13 <= len(digits) <= 19:
        return False
    if len(groups) > 1 and tuple(b - a for a, b in groups) not in _CARD_SHAPES:
        return False
    return _card_issuer_ok(digits) and luhn_valid(digits)


def _find_cards(text: str, runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Cards are looked for only inside the number runs (``_number_runs``) long enough to hold 13 digits: the
    text is scanned once for runs of digits, for cards and phones alike."""
    out: list[tuple[int, int, str]] = []
    n = len(text)
    for s, e in _number_runs(text) if runs is None else runs:
        if e - s < 13:
            continue
        for m in _CARD_RE.finditer(text, s, min(n, e + 2)):
            _card_in_run(text, m, out)
    return out


def _card_in_run(text: str, m: re.Match[str], out: list[tuple[int, int, str]]) -> None:
    """Appends to ``out`` the card that starts the candidate ``m``, if it is one."""
    groups = [(g.start(), g.end()) for g in _CARD_GROUPS_RE.finditer(text, m.start(), m.end())]
    seps = {text[groups[i][1]:groups[i + 1][0]] for i in range(len(groups) - 1)}
    if len(seps) > 1:  # "4111-1111 1111-1111" is two things or a typo, not a printed card
        return
    found = None
    # The run may carry a neighbour after the card (a CVV, an expiry "12 26"): try the longest prefixes first.
    # Never drop leading groups: a card found inside the tail of a longer number (a USPS tracking number, a
    # bank account) is a coincidence of Luhn, not a card.
    for j in range(len(groups), 0, -1):
        if _card_ok(groups[:j], text):
            found = (groups[0][0], groups[j - 1][1])
            break
    if found and not _neg_context(text, found[0], _CARD_WORDS_RE):
        out.append((found[0], found[1], "CREDIT_CARD"))


# --- US social security numbers ---------------------------------------------------------------------------------------

_SSN_RE = re.compile(
    rf"(?<![{_AN}\-/+])(?<!\d[.,])(\d{{3}})([\- ]?)(\d{{2}})\2(\d{{4}})(?![{_AN}]|[.,\-/:]\d)"
)
_SSN_WORDS_RE = re.compile(r"\bssn\b|social security|\bsoc\.? ?sec|\bss#|\bss ?no\b|\bi?tin\b|taxpayer", re.IGNORECASE)


# "+81 166-21-3467", "+46 8.11.07.13": the rest of a phone number after its country code, not an SSN or an IP.
_PHONE_PREFIX_BEFORE_RE = re.compile(r"(?:\+|(?<![0-9])00)\d{1,3}\)?[ \u00a0\-.]?\(?$")


# Where to look: next to an SSN word anything of the right shape; elsewhere only the dashed shape, found from its
# "-dd-dddd" tail (a literal-first pattern is ten times faster to scan for than one starting with a digit).
_SSN_DASH_SEED_RE = re.compile(r"-(?=\d\d-\d{4})")


def _ssn_candidates(text: str, low: str) -> Iterator[re.Match[str]]:
    if ("ssn" in low or "soc" in low or " tin" in low or "itin" in low or "taxpayer" in low or "ss#" in low
            or "ss no" in low):  # an SSN word: then also the spaced and bare shapes ("soc": "social security")
        yield from _SSN_RE.finditer(text)
        return
    for seed in _SSN_DASH_SEED_RE.finditer(text):
        if seed.start() >= 3:
            m = _SSN_RE.match(text, seed.start() - 3)
            if m is not None:
                yield m


def _find_ssns(text: str, low: str | None = None) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    for m in _ssn_candidates(text, text.lower() if low is None else low):
        area, sep, group, serial = m.group(1), m.group(2), m.group(3), m.group(4)
        if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
            continue
        s = m.start()
        # Dashed ddd-dd-dddd is the SSN's own shape; with spaces or none it is any 9-digit number, so it needs
        # an SSN word shortly before it.
        if sep != "-" and _SSN_WORDS_RE.search(text, max(0, s - 40), s) is None:
            continue
        if _PHONE_PREFIX_BEFORE_RE.search(text, max(0, s - 8), s):
            continue
        # "SSN #123-45-6789": the '#' that marks order numbers is fine right after an SSN word.
        if _neg_context(text, s, _SSN_WORDS_RE) and _SSN_WORDS_RE.search(text, max(0, s - 32), s) is None:
            continue
        out.append((s, m.end(), "US_SSN"))
    return out


# --- IP addresses -------------------------------------------------------------------------------------------------------

_IPV4_RE = re.compile(
    rf"(?<![{_AN}.])(?:\d{{1,3}}\.){{3}}\d{{1,3}}(?![{_AN}]|\.\d)"
)
_IPV6_RE = re.compile(
    rf"(?<![{_AN}:.])[0-9A-Fa-f]{{0,4}}:[0-9A-Fa-f:.]*[0-9A-Fa-f](?:%[0-9A-Za-z]+)?(?![{_AN}:]|\.\d)"
)
_VERSION_CONTEXT_RE = re.compile(
    r"(?<![A-Za-z])(?:version|ver|v|build|release|firmware|fw|rev|revision|section|chapter|clause|§|oid|isbn|ean|"
    r"release notes for|update|patch|kb)[\s.:#]*$",
    re.IGNORECASE,
)
_HEX_DIGIT_RE = re.compile(r"[0-9A-Fa-f]")


# IPv4 is looked for from its first dot, IPv6 from a ":hhhh:" or "::" inside it: literal-first seeds, then the
# full pattern in a small window around each seed.
_IPV4_SEED_RE = re.compile(r"\.(?=\d{1,3}\.\d{1,3}\.\d)")
_IPV6_SEED_RE = re.compile(r":[0-9A-Fa-f]{0,4}:")


def _ipv4_candidates(text: str, n: int) -> Iterator[re.Match[str]]:
    for seed in _IPV4_SEED_RE.finditer(text):
        i = seed.start()
        m = _IPV4_RE.search(text, max(0, i - 3), min(n, i + 17))
        if m is not None and m.start() < i < m.end():
            yield m


def _ipv6_candidates(text: str, n: int) -> Iterator[re.Match[str]]:
    end = -1
    for seed in _IPV6_SEED_RE.finditer(text):
        i = seed.start()
        if i < end:
            continue
        for m in _IPV6_RE.finditer(text, max(0, i - 45), min(n, i + 64)):
            if m.start() <= i < m.end():
                end = m.end()
                yield m
                break


def _find_ips(text: str) -> list[tuple[int, int, str]]:
    out: list[tuple[int, int, str]] = []
    n = len(text)
    if "." in text:
        last = -1
        for m in _ipv4_candidates(text, n):
            if m.start() < last:
                continue
            last = m.end()
            if any(int(o) > 255 for o in m.group().split(".")):
                continue
            s = m.start()
            if _VERSION_CONTEXT_RE.search(text, max(0, s - 24), s) or _neg_context(text, s, None) \
                    or _PHONE_PREFIX_BEFORE_RE.search(text, max(0, s - 8), s):
                continue
            out.append((s, m.end(), "IP_ADDRESS"))
    if ":" in text:
        for m in _ipv6_candidates(text, n):
            cand = m.group()
            addr = cand.split("%", 1)[0]
            # "12:30:00", "Note::" and a bare "::1" are not worth a placeholder; a real address has at least
            # four hex digits and a digit somewhere.
            if addr.count(":") < 2 or len(_HEX_DIGIT_RE.findall(addr)) < 4 or not _DIGIT_RE.search(addr):
                continue
            try:
                ipaddress.IPv6Address(addr)
            except ValueError:
                continue
            # A zone ("%eth0") names the local interface: not part of the address, not personal.
            out.append((m.start(), m.start() + len(addr), "IP_ADDRESS"))
    return out


# --- phone numbers ----------------------------------------------------------------------------------------------------

# A candidate: optional '+', then digit groups joined by at most three separator characters, groups optionally
# in parentheses ("(020)", "+44 (0)20"). Digit groups are possessive so a failed boundary never makes the engine
# end a candidate inside a digit group.
_PSEP = f"[{_SEPS}]"
_PHONE_CAND_RE = re.compile(
    r"(?=[+(\d])"  # a character class first lets the regex engine skip most positions quickly
    rf"(?<![{_AN}+@/\-\u2010\u2011\u2013#])(?<!\d[.,:])"  # a comma is a boundary in CSV, not in "1,234"
    rf"(?=\(?\+?\d[\d(){_SEPS}]{{5}})"
    r"(?:\+[ \u00a0]?)?"
    r"(?:\(\+?\d{1,6}\)|\d{1,19}+)"
    rf"(?:{_PSEP}{{0,3}}\(\d{{1,6}}\)|{_PSEP}{{1,3}}\d{{1,19}}+|(?<=\))\d{{1,19}}+)*"
    rf"(?!(?!x\d)[{_AN}@]|[.,\-/:\u2013]\d)"
)
_PHONE_EXT_RE = re.compile(
    r"[ \u00a0]*,?[ \u00a0]*(?:ext\.?|extn\.?|extension|x|Durchwahl|DW|poste|int\.|interno|toestel)"
    r"[ \u00a0]*:?[ \u00a0]*\d{1,6}(?![0-9A-Za-z])",
    re.IGNORECASE,
)
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


@lru_cache(maxsize=256)
def _national_prefix(region: str) -> str | None:
    meta = PhoneMetadata.metadata_for_region(region)
    return meta.national_prefix if meta is not None else None


_TYPE_DESCS = ("premium_rate", "toll_free", "shared_cost", "voip", "personal_number", "pager", "uan", "voicemail",
               "fixed_line", "mobile")
_Desc = tuple[frozenset[int], re.Pattern[str]]


def _desc(desc: Any) -> _Desc | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return frozenset(desc.possible_length or ()), re.compile(desc.national_number_pattern)


_RegionRules = tuple[_Desc | None, dict[int, re.Pattern[str]], re.Pattern[str] | None]


@lru_cache(maxsize=512)
def _region_rules(region: str, cc: int) -> _RegionRules:
    """A region's validation data from phonenumbers' metadata, compiled once: the general description; for each
    number length, one pattern that is the union of the typed descriptions (fixed line, mobile, toll free ...)
    that allow that length; the leading digits. Region "001" is the non-geographic numbers (+800 ...) of ``cc``."""
    meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    if meta is None:
        return None, {}, None
    general = _desc(meta.general_desc)
    typed = [d for d in (_desc(getattr(meta, name)) for name in _TYPE_DESCS) if d is not None]
    by_length: dict[int, re.Pattern[str]] = {}
    for length in range(1, 18):
        patterns = [p.pattern for lengths, p in typed if not lengths or length in lengths]
        if patterns:
            by_length[length] = re.compile("|".join(f"(?:{p})" for p in patterns))
    leading = re.compile(meta.leading_digits) if meta.leading_digits else None
    return general, by_length, leading


def _has_type(nsn: str, region: str, cc: int) -> bool:
    general, by_length, _ = _region_rules(region, cc)
    if general is None:
        return False
    lengths, pattern = general
    if (lengths and len(nsn) not in lengths) or pattern.fullmatch(nsn) is None:
        return False
    typed = by_length.get(len(nsn))
    return typed is not None and typed.fullmatch(nsn) is not None


def nsn_valid(cc: int, nsn: str) -> bool:
    """``phonenumbers.is_valid_number`` for a country code and national significant number, with the same
    metadata and the same rules (region by leading digits, then a number type other than UNKNOWN), but with
    the patterns compiled once and unioned per number length. With the digits split here instead of by
    ``parse()``, a number is validated in about 2 µs instead of 19 µs; phone validation was most of
    detect()'s cost."""
    regions = phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(cc)
    if not regions:
        return False
    if len(regions) == 1:
        return _has_type(nsn, regions[0], cc)
    for region in regions:
        _, _, leading = _region_rules(region, cc)
        if leading is not None:
            if leading.match(nsn):
                return _has_type(nsn, region, cc)
        elif _has_type(nsn, region, cc):
            return True
    return False


@lru_cache(maxsize=256)
def _complex_prefix(
    region: str,
) -> tuple[int, re.Pattern[str] | None, bool, _Desc | None, re.Pattern[str] | None]:
    """(country code, national prefix pattern, whether it has a rewrite rule, general description, international
    call prefix pattern) of a region."""
    meta = PhoneMetadata.metadata_for_region(region)
    if meta is None:
        return 0, None, False, None, None
    idd = re.compile(meta.international_prefix) if meta.international_prefix else None
    npfp = re.compile(meta.national_prefix_for_parsing) if meta.national_prefix_for_parsing else None
    return meta.country_code, npfp, bool(meta.national_prefix_transform_rule), _desc(meta.general_desc), idd


def _viable(nsn: str, desc: _Desc | None) -> bool:
    return desc is not None and desc[1].fullmatch(nsn) is not None


def _strip_complex_prefix(digits: str, region: str) -> tuple[int, str] | None:
    """phonenumbers' national prefix stripping (a fixed "0" or "1", or a pattern as in Japan, Brazil, Australia),
    for the case without a rewrite: (country code, national significant number), or None."""
    cc, prefix_re, rewrites, general, idd = _complex_prefix(region)
    if not cc or (idd is not None and idd.match(digits)):
        return None  # no such region, or it starts with the region's international call prefix: parse() knows
    m = prefix_re.match(digits) if prefix_re is not None else None
    if m is None:
        return cc, digits
    groups = m.groups()
    if rewrites and groups and groups[-1] is not None:
        return None  # a carrier code or a rewritten prefix: leave it to parse()
    rest = digits[m.end():]
    if _viable(digits, general) and not _viable(rest, general):
        return cc, digits  # as parse() does: stripping would make a viable number unviable
    return cc, rest


def _valid_nsn(cc: int, nsn: str) -> bool | None:
    """Validity of a national significant number, or None when only phonenumbers.parse can tell."""
    if not nsn or len(nsn) > 17:
        return False
    if nsn[0] == "0":
        # Italy (and a few others) keep the leading 0 inside the number; elsewhere it is a trunk prefix written
        # where it should not be ("+44 020 ..."), which parse() knows how to drop.
        return True if nsn[1:2] != "0" and nsn_valid(cc, nsn) else None
    return nsn_valid(cc, nsn)


def _fast_valid(cand: str, international: bool, region: str | None) -> bool | None:
    """phonenumbers.parse() + is_valid_number() without parse(), which costs as much as the validation itself:
    the digits are split into country code and national number here. None when in doubt (then parse())."""
    digits = _NON_DIGIT_RE.sub("", cand.replace("(0)", "", 1) if international else cand)
    if international:
        for n in (1, 2, 3):
            cc = int(digits[:n]) if len(digits) > n else 0
            if cc in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
                return _valid_nsn(cc, digits[n:])
        return False
    stripped = _strip_complex_prefix(digits, region) if region else None
    if stripped is None:
        return None
    valid = _valid_nsn(*stripped)
    if valid is False and digits.startswith(str(stripped[0])):
        return None  # parse() also tries a country code written without '+' ("49 30 1234567")
    return valid


@lru_cache(maxsize=256)
def _special_descs(region: str, cc: int) -> tuple[tuple[str, _Desc], ...]:
    """The region's typed descriptions in the order phonenumbers' number_type() tries them."""
    meta = PhoneMetadata.metadata_for_region_or_calling_code(cc, region)
    if meta is None:
        return ()
    return tuple((name, d) for name in _TYPE_DESCS if (d := _desc(getattr(meta, name))) is not None)


def _special_number(cand: str, region: str) -> bool | None:
    """Whether a national number written without trunk prefix is a valid toll-free, shared-cost, UAN or
    premium number of ``region`` (Australian 1300 / 1800): phonenumbers.number_type() in that set, or None
    when only parse() can tell."""
    stripped = _strip_complex_prefix(_NON_DIGIT_RE.sub("", cand), region)
    if stripped is None:
        return None
    cc, nsn = stripped
    general, _, _ = _region_rules(region, cc)
    if general is None or (general[0] and len(nsn) not in general[0]) or general[1].fullmatch(nsn) is None:
        return False
    for name, (lengths, pattern) in _special_descs(region, cc):
        if (not lengths or len(nsn) in lengths) and pattern.fullmatch(nsn):
            return name in _NO_TRUNK_DESCS
    return False


_NO_TRUNK_DESCS = frozenset(("premium_rate", "toll_free", "shared_cost", "uan"))
# phonenumbers does not read every typographic separator as one.
_SEP_NORMALISE = str.maketrans({"\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2010": "-", "\u2011": "-",
                                "\u2013": "-"})
# One call for the shapes that are never phones (dates, ISBNs, version strings, Brazilian postcodes).
_NOT_A_PHONE_RE = re.compile(
    f"{_DATE_RE.pattern}|{_ISBN_RE.pattern}|{_VERSION_LIKE_RE.pattern}|{_POSTCODE_LIKE_RE.pattern}"
)
_PHONE_WORD_BEFORE_RE = re.compile(
    r"(?:tel|phone|fon|mobil\w*|cell|call|fax|handy|portable|m[oó]vil|telefone?|telefono|teléfono|celular|"
    r"whatsapp|office|direct|ligue|llame|chiami|appelez|bel|電話|携帯)[\s.:：()/\-]{0,4}$",
    re.IGNORECASE,
)
# A date with a four-digit year anywhere in the run ("2025 - 2025-06-05"): only its pieces can be phones.
_DATE_INSIDE_RE = re.compile(r"(?:19|20)\d\d-[01]\d-[0-3]\d|[0-3]?\d[./][01]?\d[./](?:19|20)\d\d")
_DIRECT_DIAL_RE = re.compile(r"-\d{1,4}$")
_NO_TRUNK_TYPES = frozenset((PhoneNumberType.TOLL_FREE, PhoneNumberType.SHARED_COST, PhoneNumberType.UAN,
                             PhoneNumberType.PREMIUM_RATE))


def _phone_valid(cand: str, region: str, fallback: bool) -> bool:
    """Whether the candidate string is a valid number: international forms for any country, national forms
    for ``region`` (and, with ``fallback``, for a handful of common regions)."""
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
        if special_only:
            quick = _special_number(number, r)
        else:
            quick = _fast_valid(number, r is None, r)
        if quick is not None:
            if quick:
                return True
            continue
        try:
            num = phonenumbers.parse(number, r)
        except NumberParseException:
            continue
        if phonenumbers.is_valid_number(num) and (not special_only or phonenumbers.number_type(num) in _NO_TRUNK_TYPES):
            return True
    return False


def _valid_in(cand: str, regions: tuple[str, ...], fallback: bool) -> bool:
    return any(_phone_valid(cand, r, fallback) for r in regions)


def _phone_at(text: str, s: int, e: int, regions: tuple[str, ...]) -> tuple[int, int] | None:
    cand = text[s:e]
    nd = len(_NON_DIGIT_RE.sub("", cand))
    if nd < 7 or nd > 17:
        return None
    if cand[0] not in "+(" and (_NOT_A_PHONE_RE.fullmatch(cand) or _DATE_INSIDE_RE.search(cand)):
        return None
    if _CURRENCY_AFTER_RE.match(text, e):
        return None
    # A number written with its country code is a phone number whatever precedes it; any other number may be
    # an order, invoice or customer number, which the words before it say.
    if cand[0] != "+" and _neg_context(text, s, _PHONE_WORDS_RE):
        return None
    if not _valid_in(cand, regions, False):
        # German-speaking offices write the extension as a suffix: "030 1234567-40", "-0" for the switchboard.
        suffix = _DIRECT_DIAL_RE.search(cand)
        if suffix is not None and _valid_in(cand[: suffix.start()], regions, False):
            ext = _PHONE_EXT_RE.match(text, e)
            return (s, ext.end() if ext else e)
        # A national number of another country is taken only right after a phone word ("UK office: call
        # 020 7946 0958"), where the word vouches for it; elsewhere such a number is as likely an account number.
        if _PHONE_WORD_BEFORE_RE.search(text, max(0, s - 18), s) is None or not _phone_valid(cand, regions[0], True):
            return None
    ext = _PHONE_EXT_RE.match(text, e)
    return (s, ext.end() if ext else e)


class _Taken:
    """Spans already found by better-ranked detectors: a phone candidate overlapping one would lose anyway, so
    it is not validated at all (card groups, IP addresses and postcodes are most of the failing candidates)."""

    def __init__(self, spans: Iterable[tuple[int, int, Any]]) -> None:
        ordered = sorted((s, e) for s, e, *_ in spans)
        self.starts = [s for s, _ in ordered]
        self.max_end: list[int] = []
        top = -1
        for _, e in ordered:
            top = max(top, e)
            self.max_end.append(top)

    def overlaps(self, s: int, e: int) -> bool:
        i = bisect_left(self.starts, e)
        return i > 0 and self.max_end[i - 1] > s


def _number_runs(text: str) -> list[tuple[int, int]]:
    """Runs of digit groups (with separators, parentheses, a leading '+') of 7 characters or more: where phone
    numbers and cards can be."""
    return [(m.start(), m.end()) for m in _PHONE_CAND_RE.finditer(text) if m.end() - m.start() >= 7]


def _find_phones(text: str, region: str | tuple[str, ...], taken: _Taken | None = None,
                 runs: list[tuple[int, int]] | None = None) -> list[tuple[int, int, str]]:
    """Phone numbers: international forms from any country, national forms of ``region`` (or of each region of
    a tuple, the document's first)."""
    regions = (region,) if isinstance(region, str) else region
    out: list[tuple[int, int, str]] = []
    for s, e in _number_runs(text) if runs is None else runs:
        if taken is not None and taken.overlaps(s, e):
            continue
        # "17/08/2023 8.00": a date in front of another number is never part of a phone; only the pieces are.
        dated = _DATE_RE.match(text, s, e) if text[s].isdigit() else None
        dated_prefix = dated is not None and dated.end() < e and text[dated.end()] in " \u00a0\u202f"
        hit = None if dated_prefix else _phone_at(text, s, e, regions)
        if hit is not None:
            out.append((hit[0], hit[1], "PHONE"))
            continue
        if e - s < 12 or _neg_context(text, s, _PHONE_WORDS_RE):
            continue
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
            hit = _phone_at(text, ps, pe, regions)
            if hit is not None:
                found_here.append(hit)
        out.extend((a, b, "PHONE") for a, b in found_here)
    return out


# --- known values of the record ---------------------------------------------------------------------------------------
#
# Matched with str.find on a lower-cased copy of the text and a few character checks, not with a regex built
# per record: compiling an alternation of a record's name parts costs ~6 ms, ~50 times the cost of scanning a
# typical prompt, and every record is different.

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
_KNOWN_SEP = frozenset(" \t\r\n\u00a0\u2009\u202f,")
_CJK_RANGES = ((0x3040, 0x30FF), (0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xAC00, 0xD7AF), (0xFF00, 0xFFEF))


def _wordish(ch: str) -> bool:
    """A letter or digit that is not CJK: a known value's edge must not touch one (so "Jane" is not found in
    "Janet"), while CJK text, which has no spaces, may run right up to it ("山田様")."""
    if not (ch.isalnum() or ch == "_"):
        return False
    if ch < "\u3040":
        return True
    o = ord(ch)
    return not any(a <= o <= b for a, b in _CJK_RANGES)


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
        return [(last, first)] + ([(_plain(tokens[0], True),)] if len(tokens[0].strip(".")) >= 2 else []) \
            + ([(_plain(tokens[1], True),)] if len(tokens[1].strip(".")) >= 2 else [])
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
    core = list(tokens)
    while len(core) > 1 and core[-1].replace(".", "").lower() in _LEGAL_FORMS:
        core.pop()
    joined = " ".join(core)
    return joined if len(core) < len(tokens) and len(joined) >= 3 else None


@lru_cache(maxsize=1024)
def _known_phrases(
    items: tuple[tuple[str, tuple[str, ...]], ...],
) -> tuple[dict[str, list[tuple[_Phrase, int]]], frozenset[str]]:
    """The record's phrases with their anchor token, grouped by the anchor's lower-case spellings (one str.find
    loop each), and the initials of its people's first names ("J." of "J. Doe", found by looking back from
    "Doe")."""
    phrases: list[_Phrase] = []
    initials: set[str] = set()
    for typ, values in items:
        for value in values:
            tokens = value.replace(",", " ").split()
            if not tokens or len("".join(tokens)) < 2:
                continue
            if typ == "STREET_ADDRESS":
                phrases.append((typ, tuple(_street_token(t) for t in tokens)))
            else:
                phrases.append((typ, tuple(_plain(t) for t in tokens)))
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
    by_anchor: dict[str, list[tuple[_Phrase, int]]] = {}
    for phrase in phrases:
        tokens = phrase[1]
        anchor, best = 0, -1
        for k, token in enumerate(tokens):
            shortest = len(token[0][-1])  # forms are sorted longest first
            if shortest > best:
                anchor, best = k, shortest
        for form in tokens[anchor][0]:
            by_anchor.setdefault(form, []).append((phrase, anchor))
    return by_anchor, frozenset(initials)


def _token_at(text: str, low: str, pos: int, token: _Token, last: bool) -> int:
    """End of ``token`` read forwards from ``pos``, or -1."""
    forms, cased, dotted = token
    for form in forms:
        if low.startswith(form, pos):
            end = pos + len(form)
            if cased and text[pos].islower():
                continue
            if dotted and form in dotted and not last and end < len(text) and text[end] == ".":
                end += 1
            return end
    return -1


def _token_before(text: str, low: str, pos: int, token: _Token) -> int:
    """Start of ``token`` read backwards from ``pos`` (its end, or the end of its abbreviation dot), or -1."""
    forms, cased, dotted = token
    for form in forms:
        end = pos - 1 if dotted and form in dotted and pos > 0 and text[pos - 1] == "." else pos
        start = end - len(form)
        if start >= 0 and low.startswith(form, start) and not (cased and text[start].islower()):
            return start
    return -1


def _phrase_around(text: str, low: str, pos: int, phrase: _Phrase, anchor: int) -> tuple[int, int]:
    """(start, end) of ``phrase`` whose anchor token starts at ``pos``, or (-1, -1)."""
    n = len(text)
    tokens = phrase[1]
    last_index = len(tokens) - 1
    end = _token_at(text, low, pos, tokens[anchor], anchor == last_index)
    if end < 0:
        return -1, -1
    for k in range(anchor + 1, len(tokens)):
        j = end
        while j < n and text[j] in _KNOWN_SEP:
            j += 1
        if j == end:
            return -1, -1
        end = _token_at(text, low, j, tokens[k], k == last_index)
        if end < 0:
            return -1, -1
    if end < n and _wordish(text[end]):
        return -1, -1
    start = pos
    for k in range(anchor - 1, -1, -1):
        j = start
        while j > 0 and text[j - 1] in _KNOWN_SEP:
            j -= 1
        if j == start:
            return -1, -1
        start = _token_before(text, low, j, tokens[k])
        if start < 0:
            return -1, -1
    if start > 0 and _wordish(text[start - 1]):
        return -1, -1
    return start, end


def _lower_same_length(text: str) -> str:
    low = text.lower()
    if len(low) == len(text):
        return low
    # A few characters lower-case to two ("İ"): lower them one by one so offsets stay those of the text.
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


def _find_known(text: str, items: tuple[tuple[str, tuple[str, ...]], ...],
                low: str | None = None) -> list[tuple[int, int, str]]:
    by_anchor, initials = _known_phrases(items)
    if not by_anchor:
        return []
    low = _lower_same_length(text) if low is None else low
    hits: list[tuple[int, int, str]] = []
    n = len(text)
    for form, phrases in by_anchor.items():
        size = len(form)
        i = low.find(form)
        while i != -1:
            # Every token of a phrase has a non-letter on both sides (a separator, a dot, the phrase's edge):
            # most occurrences inside longer words end here.
            if (i == 0 or not _wordish(text[i - 1])) and (i + size == n or not _wordish(text[i + size])):
                for phrase, anchor in phrases:
                    tokens = phrase[1]
                    if len(tokens) == 1:  # a name part, a company without its legal form: the anchor is all
                        if not (tokens[0][1] and text[i].islower()):
                            hits.append((i, i + size, phrase[0]))
                        continue
                    start, end = _phrase_around(text, low, i, phrase, anchor)
                    if end > 0:
                        hits.append((start, end, phrase[0]))
            i = low.find(form, i + 1)
    if initials:
        for k, (i, end, typ) in enumerate(hits):
            # "J. Doe": the initial of the first name before a surname; "J." alone is not looked for.
            if typ == "PERSON" and i >= 3 and text[i - 2] == "." and text[i - 1] in " \u00a0" \
                    and text[i - 3] in initials and (i == 3 or not _wordish(text[i - 4])):
                hits[k] = (i - 3, end, typ)
    # All hits, overlapping ones too: detect() keeps the longest that does not collide with a better-ranked span
    # ("Doe, Jane" may run into an e-mail address in a CSV line, where "Doe" alone is still right).
    return hits


@lru_cache(maxsize=1024)
def _known_phone_regions(items: tuple[tuple[str, tuple[str, ...]], ...], region: str) -> tuple[str, ...]:
    """The countries of the record's own phone numbers: a French contact's "+33 6 12 34 56 78" tells that
    "06 12 34 56 78" in the notes about them is a French number, whatever the default region."""
    found: list[str] = []
    for typ, values in items:
        if typ != "PHONE":
            continue
        for value in values:
            try:
                number = phonenumbers.parse(value, region)
            except NumberParseException:
                continue
            other = phonenumbers.region_code_for_number(number)
            if other and other != region and other not in found:
                found.append(other)
    return tuple(found)


def _normalise_known(known_values: Mapping[str, Iterable[str]] | None) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not known_values:
        return ()
    items = []
    for typ, values in known_values.items():
        if typ not in PII_TYPES:
            raise ValueError(f"unknown PII type {typ!r}; expected one of {', '.join(PII_TYPES)}")
        if isinstance(values, str):
            values = [values]
        vals = tuple(sorted({str(v) for v in values if v is not None and str(v).strip()}))
        if vals:
            items.append((typ, vals))
    return tuple(sorted(items))


# --- detection ---------------------------------------------------------------------------------------------------------


_FULLWIDTH_RE = re.compile("[\uff01-\uff5e\u3000]")
_FULLWIDTH_HINTS = "０１２３４５６７８９＋＠"
_FULLWIDTH_TABLE = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)} | {0x3000: 0x20}


def default_region() -> str:
    try:
        from django.conf import settings

        return str(getattr(settings, "REX_PII_DEFAULT_REGION", "US") or "US").upper()
    except Exception:  # noqa: BLE001 -- outside a configured Django (scripts, notebooks) the US default applies
        return "US"


def _resolve(cands: list[tuple[int, int, str, int]]) -> list[tuple[int, int, str]]:
    """Keep non-overlapping detections, the better-ranked one where two overlap (then the earlier, then the
    longer); sorted by start."""
    cands.sort(key=lambda c: (c[3], c[0], c[0] - c[1]))
    starts: list[int] = []  # kept spans, sorted by start; they never overlap, so ends are sorted too
    ends: list[int] = []
    types: list[str] = []
    for s, e, typ, _ in cands:
        if s >= e:
            continue
        i = bisect_left(starts, s)
        if (i < len(starts) and starts[i] < e) or (i > 0 and ends[i - 1] > s):
            continue
        starts.insert(i, s)
        ends.insert(i, e)
        types.insert(i, typ)
    return list(zip(starts, ends, types, strict=True))


def _leftmost_longest(hits: list[tuple[int, int, str]], taken: _Taken | None) -> list[tuple[int, int, str]]:
    """The record's values found, without those inside better-ranked spans (a name inside an e-mail address),
    then leftmost-longest among themselves ("Jane Doe" rather than "Jane"; "Doe" when "Doe, Jane" ran into an
    e-mail address in a CSV line)."""
    hits.sort(key=lambda h: (h[0], h[0] - h[1]))
    out: list[tuple[int, int, str]] = []
    for h in hits:
        if (not out or h[0] >= out[-1][1]) and (taken is None or not taken.overlaps(h[0], h[1])):
            out.append(h)
    return out


def detect(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    region: str | None = None,
) -> list[Span]:
    """Every PII span in ``text``: non-overlapping, sorted by start, offsets into ``text`` (end exclusive).

    ``known_values`` maps a type to the record's own values ({"PERSON": ["Jane Doe"], ...}); ``region`` is the
    ISO country whose national phone formats apply (default ``settings.REX_PII_DEFAULT_REGION``).

    Order of precedence where detections overlap: validated structured values (e-mail, IBAN, card, SSN, IP),
    then the record's known values, then phone numbers, whose candidates are the loosest.
    """
    if not text:
        return []
    region = (region or default_region()).upper()
    if not text.isascii() and any(c in text for c in _FULLWIDTH_HINTS) and _FULLWIDTH_RE.search(text):
        # Full-width digits, '+' and '-' (Japanese text: "０３－１２３４－５６７８") map one to one onto ASCII, so
        # the offsets found in the mapped text are those of the original.
        text = text.translate(_FULLWIDTH_TABLE)
    low = _lower_same_length(text)
    cands: list[tuple[int, int, str, int]] = []
    if "@" in text:
        cands.extend((s, e, t, 0) for s, e, t in _find_emails(text))
    cands.extend((s, e, t, 0) for s, e, t in _find_obfuscated_emails(text, low))
    digits = _DIGIT_RE.search(text) is not None
    runs = _number_runs(text) if digits else []
    if digits:
        for rank, found in enumerate((_find_ibans(text), _find_cards(text, runs), _find_ssns(text, low),
                                      _find_ips(text)), start=1):
            cands.extend((s, e, t, rank) for s, e, t in found)
    spans = _resolve(cands) if len(cands) > 1 else [c[:3] for c in cands]
    items = _normalise_known(known_values)
    if items:
        spans += _leftmost_longest(_find_known(text, items, low), _Taken(spans) if spans else None)
    if runs:
        regions = (region, *_known_phone_regions(items, region)) if items else (region,)
        spans += _find_phones(text, regions, _Taken(spans) if spans else None, runs)
    spans.sort()
    return [Span(t, s, e) for s, e, t in spans]


# Per-type detectors, for the benchmark's per-type throughput (bench/pii.py).
DETECTORS: dict[str, Any] = {
    "EMAIL": lambda text: _find_emails(text) + _find_obfuscated_emails(text),
    "IBAN": _find_ibans,
    "CREDIT_CARD": _find_cards,
    "US_SSN": _find_ssns,
    "IP_ADDRESS": _find_ips,
    "PHONE": _find_phones,
    "KNOWN": _find_known,
}


# --- pseudonyms --------------------------------------------------------------------------------------------------------

_PLACEHOLDER_RE = re.compile(r"<(?:" + "|".join(sorted(PII_TYPES, key=len, reverse=True)) + r")_\d+>")


def _value_key(typ: str, value: str) -> str:
    """Two spellings of one value share a placeholder: case and spacing never matter, and for numbers only the
    digits and letters do ("+1 415-555-0100" and "+1 (415) 555 0100")."""
    if typ in ("PHONE", "CREDIT_CARD", "IBAN", "US_SSN"):
        return _NON_ALNUM_RE.sub("", value).upper()
    return " ".join(value.split()).casefold()


class Pseudonyms:
    """A reversible mapping between real values and the placeholders an LLM sees (``<EMAIL_1>``, ``<PERSON_2>``)."""

    def __init__(self) -> None:
        self._by_key: dict[tuple[str, str], str] = {}
        self._values: dict[str, str] = {}
        self._types: dict[str, str] = {}
        self._counts: dict[str, int] = {}

    def placeholder_for(self, type: str, value: str) -> str:
        if type not in PII_TYPES:
            raise ValueError(f"unknown PII type {type!r}; expected one of {', '.join(PII_TYPES)}")
        key = (type, _value_key(type, value))
        placeholder = self._by_key.get(key)
        if placeholder is None:
            n = self._counts.get(type, 0) + 1
            self._counts[type] = n
            placeholder = f"<{type}_{n}>"
            self._by_key[key] = placeholder
            self._values[placeholder] = value
            self._types[placeholder] = type
        return placeholder

    def value_of(self, placeholder: str) -> str | None:
        return self._values.get(placeholder)

    def restore(self, text: str) -> str:
        """``text`` with every placeholder this mapping issued replaced by its real value; any other
        ``<TYPE_N>`` (one the LLM made up) is left as it is."""
        if not self._values or "<" not in text:
            return text
        return _PLACEHOLDER_RE.sub(lambda m: self._values.get(m.group(), m.group()), text)

    def to_dict(self) -> dict[str, Any]:
        return {
            "version": 1,
            "entries": [{"placeholder": p, "type": self._types[p], "value": v} for p, v in self._values.items()],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Pseudonyms:
        self = cls()
        for entry in data.get("entries", ()):
            placeholder, typ, value = entry["placeholder"], entry["type"], entry["value"]
            m = re.fullmatch(r"<([A-Z_]+)_(\d+)>", placeholder)
            if m is None or m.group(1) != typ or typ not in PII_TYPES:
                raise ValueError(f"bad pseudonym entry {entry!r}")
            self._values[placeholder] = value
            self._types[placeholder] = typ
            self._by_key.setdefault((typ, _value_key(typ, value)), placeholder)
            self._counts[typ] = max(self._counts.get(typ, 0), int(m.group(2)))
        return self

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, placeholder: object) -> bool:
        return placeholder in self._values

    def __repr__(self) -> str:
        return f"<Pseudonyms {len(self)} values>"


def _apply(text: str, spans: list[Span], pseudonyms: Pseudonyms) -> str:
    parts: list[str] = []
    pos = 0
    for span in spans:
        parts.append(text[pos:span.start])
        parts.append(pseudonyms.placeholder_for(span.type, text[span.start:span.end]))
        pos = span.end
    parts.append(text[pos:])
    return "".join(parts)


def pseudonymise(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    pseudonyms: Pseudonyms | None = None,
    region: str | None = None,
) -> tuple[str, Pseudonyms]:
    """``text`` with every detected span replaced by its placeholder, and the mapping (``pseudonyms``, extended,
    when given: several texts of one prompt then share numbering)."""
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    spans = detect(text, known_values=known_values, region=region)
    return _apply(text, spans, pseudonyms), pseudonyms


def redact(
    text: str,
    *,
    known_values: Mapping[str, Iterable[str]] | None = None,
    region: str | None = None,
) -> tuple[str, list[Span]]:
    """What an LLM would receive for ``text``, and the spans (offsets into the input) that were replaced."""
    spans = detect(text, known_values=known_values, region=region)
    return _apply(text, spans, Pseudonyms()), spans


# --- structured data ------------------------------------------------------------------------------------------------

_MAX_DEPTH = 30
_CAMEL_RE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
# Fields matched only exactly, never as a suffix: "product_name" or "file_name" are not a person.
_EXACT_ONLY_FIELDS = frozenset({"name"})
_FIELD_TYPE_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"e_?mail"), "EMAIL"),
    (re.compile(r"(^|_)ip(_|$)|ip_?address|ipv[46]"), "IP_ADDRESS"),
    (re.compile(r"iban|bank_?account"), "IBAN"),
    (re.compile(r"card|(^|_)cc(_|$)|(^|_)pan(_|$)"), "CREDIT_CARD"),
    (re.compile(r"ssn|social_?security"), "US_SSN"),
    (re.compile(r"phone|mobile|tel|fax|cell|whatsapp"), "PHONE"),
    (re.compile(r"company|organi[sz]ation|(^|_)org(_|$)|employer|business|account_name"), "ORGANIZATION"),
    (re.compile(r"street|address|city|zip|post|addr"), "STREET_ADDRESS"),
)


def _norm_key(key: str) -> str:
    return _CAMEL_RE.sub("_", key).lower().replace("-", "_").replace(" ", "_")


def field_type(key: str) -> str:
    """The PII type of a configured field, guessed from its name (a name, when nothing else fits)."""
    k = _norm_key(key)
    for rule, typ in _FIELD_TYPE_RULES:
        if rule.search(k):
            return typ
    return "PERSON"


def _pii_field(key: Any, fields: frozenset[str]) -> bool:
    if not isinstance(key, str):
        return False
    k = _norm_key(key)
    return k in fields or any(k.endswith("_" + f) for f in fields if f not in _EXACT_ONLY_FIELDS)


def _collect_field_values(data: Any, fields: frozenset[str], into: dict[str, set[str]], depth: int = 0) -> None:
    """The values under PII fields, by type: they are the record's known values for the free text beside them
    ("first_name": "Jane" next to "notes": "Jane asked for a call")."""
    if depth > _MAX_DEPTH:
        return
    if isinstance(data, Mapping):
        for k, v in data.items():
            if _pii_field(k, fields) and isinstance(v, str) and v.strip():
                into.setdefault(field_type(k), set()).add(v)
            else:
                _collect_field_values(v, fields, into, depth + 1)
    elif isinstance(data, list | tuple):
        for v in data:
            _collect_field_values(v, fields, into, depth + 1)


def _replace_field(value: Any, typ: str, pseudonyms: Pseudonyms, fields: frozenset[str], depth: int) -> Any:
    """Everything under a PII field becomes placeholders, whatever its shape (a string, a number, a list, an
    address object)."""
    if depth > _MAX_DEPTH:
        return pseudonyms.placeholder_for(typ, repr(value))
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return pseudonyms.placeholder_for(typ, value) if value.strip() else value
    if isinstance(value, int | float):
        return pseudonyms.placeholder_for(typ, str(value))
    if isinstance(value, Mapping):
        return {
            k: _replace_field(v, field_type(k) if _pii_field(k, fields) else typ, pseudonyms, fields, depth + 1)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return type(value)(_replace_field(v, typ, pseudonyms, fields, depth + 1) for v in value)
    return pseudonyms.placeholder_for(typ, str(value))


def _walk(data: Any, known: Mapping[str, Iterable[str]] | None, pseudonyms: Pseudonyms,
          fields: frozenset[str], region: str | None, depth: int) -> Any:
    if depth > _MAX_DEPTH:
        raise ValueError("data nested too deeply to redact")
    if isinstance(data, str):
        return pseudonymise(data, known_values=known, pseudonyms=pseudonyms, region=region)[0]
    if isinstance(data, Mapping):
        return {
            k: _replace_field(v, field_type(k), pseudonyms, fields, depth + 1) if _pii_field(k, fields)
            else _walk(v, known, pseudonyms, fields, region, depth + 1)
            for k, v in data.items()
        }
    if isinstance(data, list | tuple):
        return type(data)(_walk(v, known, pseudonyms, fields, region, depth + 1) for v in data)
    return data


def configured_fields() -> frozenset[str]:
    from django.conf import settings

    return frozenset(_norm_key(f) for f in settings.REX_PII_FIELDS)


def redact_pii(
    data: Any,
    *,
    consent: bool,
    known_values: Mapping[str, Iterable[str]] | None = None,
    pseudonyms: Pseudonyms | None = None,
    fields: Iterable[str] | None = None,
    region: str | None = None,
) -> tuple[Any, Pseudonyms]:
    """A pseudonymised copy of ``data`` (dicts, lists, strings) for an LLM prompt, and the mapping to undo it.

    Raises :class:`LLMConsentMissing` without the contact's consent: the caller then skips the LLM step. Values
    under a PII field (``fields``, default ``settings.REX_PII_FIELDS``; keys compared case-insensitively, also as
    suffixes except ``name``) are replaced wholesale; they also count as known values of the record for every
    other string, which goes through :func:`pseudonymise` (phone region ``region``, default
    ``settings.REX_PII_DEFAULT_REGION``; the countries of the record's own phone numbers count too). ``data``
    is never modified.
    """
    if not consent:
        raise LLMConsentMissing("the contact has not consented to LLM processing; use the rules instead")
    field_set = frozenset(_norm_key(f) for f in fields) if fields is not None else configured_fields()
    if pseudonyms is None:
        pseudonyms = Pseudonyms()
    collected: dict[str, set[str]] = {}
    for typ, values in (known_values or {}).items():
        collected.setdefault(typ, set()).update([values] if isinstance(values, str) else values)
    _collect_field_values(data, field_set, collected)
    known = {t: sorted(v) for t, v in collected.items() if v}
    return _walk(data, known or None, pseudonyms, field_set, region, 0), pseudonyms
