"""What every number detector shares: character classes, the runs of digits, and the words before a number.

Cards, phones, SSNs and IP addresses all ask the same two questions -- where are the runs of digits, and do the
words right before one say it is a reference (an order number, an invoice, a tracking number) rather than
personal data? Answering them once here keeps the detectors consistent: a word that vetoes a phone number also
vetoes a card or an IP address. The text is scanned once for number runs (``_number_runs``), shared by cards and
phones.
"""

from __future__ import annotations

import re

# "Letter or digit" for boundaries. Deliberately not \w: CJK text writes numbers right next to its characters
# ("電話03-1234-5678"), which must still count as a boundary.
_AN = "0-9A-Za-z_\u00c0-\u024f"
_SEPS = " \u00a0\u2009\u202f.\\-/\u2010\u2011\u2013"  # separators people put inside numbers (incl. NBSP, dashes)
_DIGIT_RE = re.compile(r"\d")
_NON_DIGIT_RE = re.compile(r"\D+")
_NON_ALNUM_RE = re.compile(r"[^0-9A-Za-z]+")


# A candidate: optional '+', then digit groups joined by at most three separator characters, groups optionally
# in parentheses ("(020)", "+44 (0)20"). Digit groups are possessive so a failed boundary never makes the engine
# end a candidate inside a digit group.
# The pattern consumes its first character ('+', '(' or a digit) before any assertion: only a pattern whose first
# element is a character class lets the regex engine skip, in C, every position that cannot start a run (a leading
# lookahead does not). The boundary and the "enough digits follow" checks are therefore written as seen from after
# that first character, and the start of the run is split by what that character was.
_PSEP = f"[{_SEPS}]"
_RUN_REST = (
    rf"(?<![{_AN}+@/\-\u2010\u2011\u2013#].)(?<!\d[.,:].)"  # a comma is a boundary in CSV, not in "1,234"
    rf"(?=(?:(?<=\()\+?\d|(?<=\+)\d|(?<=\d))[\d(){_SEPS}]{{5}})"  # "(+4", "+4" or "4", then 5 more
    r"(?:(?<=\+)[ \u00a0]?(?:\(\+?\d{1,6}\)|\d{1,19}+)|(?<=\()\+?\d{1,6}\)|(?<=\d)\d{0,18}+)"
    rf"(?:{_PSEP}{{0,3}}\(\d{{1,6}}\)|{_PSEP}{{1,3}}\d{{1,19}}+|(?<=\))\d{{1,19}}+)*"
    rf"(?!(?!x\d)[{_AN}@]|[.,\-/:\u2013]\d)"
)
_PHONE_CAND_RE = re.compile(rf"[+(\d]{_RUN_REST}")
# The same scan also yields the seeds of IBANs, their check digits right after two letters ("DE|89"), which start
# with a digit too: one pass over the text's digits instead of two. The two never overlap (a run starts after no
# letter, a seed right after two), so each is found exactly as by its own scan. Group 1 marks a seed.
_NUMBER_SCAN_RE = re.compile(rf"[+(\d](?:(?<=[A-Za-z][A-Za-z]\d)(\d)|{_RUN_REST})")


def _number_runs(text: str) -> list[tuple[int, int]]:
    """Runs of digit groups (with separators, parentheses, a leading '+') of 7 characters or more: where phone
    numbers and cards can be."""
    return [(m.start(), m.end()) for m in _PHONE_CAND_RE.finditer(text) if m.end() - m.start() >= 7]


def _scan_numbers(text: str) -> tuple[list[tuple[int, int]], list[int]]:
    """``_number_runs`` and the starts of the IBAN seeds (:func:`agents.pii.ibans._find_ibans`), in one pass."""
    runs: list[tuple[int, int]] = []
    seeds: list[int] = []
    for m in _NUMBER_SCAN_RE.finditer(text):
        s, e = m.span()
        if m.lastindex:
            seeds.append(s)
        elif e - s >= 7:
            runs.append((s, e))
    return runs, seeds


# "+81 166-21-3467", "+46 8.11.07.13": the rest of a phone number after its country code, not an SSN or an IP.
_PHONE_PREFIX_BEFORE_RE = re.compile(r"(?:\+|(?<![0-9])00)\d{1,3}\)?[ \u00a0\-.]?\(?$")


# Words that make a number next to them a phone number.
_PHONE_WORDS_RE = re.compile(
    r"tel|phone|fon|mobil|cell|call|fax|whatsapp|handy|portable|m[oó]vil|telefo|celular|ring|dial|sms|"
    r"contact|reach|rufen|erreich|appel|joindre|joignable|chiam|ligue|ligar|llam|bel|電話|携帯",
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
    ccc rcs hrb hra kbo btw expediente dossier vorgang
    bestelling bestellung pedido commande
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
# The same with "\w" for the words (one character class, about twice as fast as the alternation above): it reads the
# same groups whenever the words it finds hold no '_', which the alternation stops at; otherwise the exact one runs.
_REV_CONTEXT_FAST_RE = re.compile(rf"({_CTX_CLASS}*)([\w\-/']*)({_CTX_CLASS}*)([\w\-/']*)")


def _neg_context(text: str, start: int, positive: re.Pattern[str] | None) -> bool:
    """True when the words right before ``start`` say the number there is a reference, an amount or the rest of
    a code (a failed IBAN, a tracking number), not personal data."""
    lo = start - 32 if start > 32 else 0
    # The reversed window in one slice (a step of -1 cannot end before index 0 by a stop of -1: that is the end).
    rev = text[start - 1:lo - 1:-1] if lo else text[start - 1::-1] if start else ""
    m = _REV_CONTEXT_FAST_RE.match(rev)
    tail, rword, _, rprev = m.groups()  # type: ignore[union-attr]
    if "_" in rword or "_" in rprev:
        m = _REV_CONTEXT_RE.match(rev)
        tail, rword, _, rprev = m.groups()  # type: ignore[union-attr]
    word = rword[::-1].strip("-/'")
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
        prev = rprev[::-1].strip("-/'").lower()
        if prev in _STRONG_NEG_WORDS:
            return True
        # Only a phone / card / SSN word right before the "no." rescues the number ("Tel. no. ...").
        word_start = start - len(tail) - len(rword)
        return positive is None or positive.search(text, max(0, word_start - 24), word_start) is None
    return False
