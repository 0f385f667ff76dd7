"""People's names in free text that the record does not name: a gazetteer with capitalisation and context rules.

Under GDPR a colleague's or a referral's name is personal data as much as the contact's own. This stage finds
names the record's ``known_values`` cannot give, in English, German, French, Spanish, Dutch (and most Latin-script
European languages), without a model and without anything downloaded at run time:

- the gazetteer is the first-name and surname lists of Faker's per-locale person providers (``faker``, MIT,
  pinned in requirements.txt), read from the provider modules on first use (about 9,500 first names and 14,500
  surnames; ~0.3 s once per process); the lists ship inside the wheel, so it works with no network;
- the text is scanned once by one compiled regex for runs of capitalised words (with the particles of Dutch,
  German, French and Spanish surnames and initials in between); each run is then decided with frozenset
  look-ups, never with per-character Python loops:

  * a first name followed by a surname or another first name ("Sarah Lindgren", "Jean-Pierre de la Croix",
    "María José García López") is a name;
  * after a title or a greeting ("Mr", "Frau", "M.", "Sr.", "Dhr.", "Dear", "Liebe", "Bonjour", "Hola", "Beste"),
    after "my name is", "Ich heiße", "je m'appelle", "me llamo", "mijn naam is", and alone on the line after a
    closing ("Best regards,", "Mit freundlichen Grüßen", "Cordialement", "Saludos", "Met vriendelijke groet"), the
    capitalised words are a name even when the gazetteer does not know them ("Mr Okafor");
  * a first name alone is a name when it is not also a common capitalised word, a month, a weekday or a place
    ("May", "Paris", "Will", "Mercedes" are not, unless a title or greeting stands before them);
- what is not a person: a run followed by a legal form or "&" (a company: "Johnson & Johnson", "Tom Tailor
  GmbH"), a run that ends in a place or street word ("Washington Square", "Charlotte Street"), a run that is
  all capitals.

The stage can be switched off (``REX_PII_NAMES=false``, or ``detect(..., names=False)``); docs/pii.md says what
it costs and what it finds on the benchmark corpus.
"""

# ruff: noqa: RUF001 -- the typographic apostrophe (U+2019 in O-apostrophe-Brien) is what people type

from __future__ import annotations

import importlib
import re
from functools import lru_cache

from agents.pii.overlaps import _Taken

# Faker locales whose person providers feed the gazetteer: the languages REX writes in and the neighbours whose
# names turn up in European sales mail.
_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_IN", "en_NZ", "de_DE", "de_AT", "de_CH", "fr_FR", "fr_CH", "fr_BE", "es_ES",
    "es_MX", "es_AR", "es_CO", "nl_NL", "nl_BE", "it_IT", "pt_BR", "pt_PT", "pl_PL", "sv_SE", "da_DK", "no_NO",
    "fi_FI", "cs_CZ", "sk_SK", "hr_HR", "sl_SI", "ro_RO", "hu_HU", "tr_TR", "ga_IE", "lt_LT", "lv_LV", "et_EE",
)

# Capitalised words that are names in some list but, without a title or greeting before them, are far more
# often something else: months, weekdays, places, brands, virtues, ordinary words at the start of a sentence.
_NOT_NAMES_ALONE = frozenset("""
    January February March April May June July August September October November December
    Januar Februar März Juni Juli Oktober Dezember Janvier Février Mars Avril Mai Juin Juillet Août Septembre
    Octobre Novembre Décembre Enero Febrero Marzo Abril Mayo Junio Julio Agosto Septiembre Setiembre Octubre
    Noviembre Diciembre Januari Februari Maart Augustus Juli Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Okt Nov Dec Dez
    Tage Tag Tomo Grüße Grüße Grüsse Gruß Groeten Groet Regards Wishes Saludos Salutations Cordialement Thanks
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Montag Dienstag Mittwoch Donnerstag Freitag Samstag
    Sonntag Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Lunes Martes Miércoles Jueves Viernes Sábado
    Domingo Maandag Dinsdag Woensdag Donderdag Vrijdag Zaterdag Zondag
    Paris London Berlin Madrid Amsterdam Brussels Bruxelles Brussel Vienna Wien Zurich Zürich Genève Geneva
    Florence Firenze Venice Rome Roma Milan Milano Sydney Melbourne Adelaide Perth Brisbane Darwin Victoria
    Austin Dallas Houston Denver Phoenix Orlando Madison Jackson Lincoln Washington Georgia Virginia Carolina
    Savannah Brooklyn Chelsea Camden Kent Devon Essex York Lyon Lille Nice Nancy Valence Valencia Sevilla Santiago
    Salvador Lourdes Alexandria Regina Charlotte Augusta Dakota Montana Nevada Sierra Africa America Asia Europa
    Europe India China Jordan Israel Chad Kenya Ireland Holland England Scotland Wales France Germany Spain
    Will Mark Bill Rose Grace Hope Joy Faith Summer Winter Autumn Spring Dawn Eve Sunny Page Chance Guy Major
    Royal Rich Frank Sterling Hunter Cash Price Sky Star Ray Bob Pat Sue Art Gay Penny Ruby Crystal Amber
    Ivy Holly Iris Jade Pearl Daisy Lily Violet Olive Hazel Heather Angel Angela Patience Honor Harmony Liberty
    Mercedes Porsche Ferrari Lancia Jaguar Tesla Mazda Toyota Honda Dell Lenovo Oracle Apple Amazon Google
    Herr Frau Mister Madame Monsieur Señor Señora Don Doña Meneer Mevrouw Dear Hello Hallo Bonjour Hola Liebe
    Lieber Beste Geachte Estimado Estimada Cher Chère
    Christian Christians Christmas Easter Ostern Weihnachten Pentecost Pfingsten Navidad Noël Pascua Pasen Kerst
    Team Support Sales Service Office Admin Manager Director Customer Kunde Client Cliente Klant Account Billing
    Marketing Finance Legal Operations Product Engineering Partner Partners Group Holding Capital Global
    Street Road Avenue Lane Square Park Hill Bridge Station Airport Hotel Bank Church Platz Straße Strasse Weg
    Gasse Allee Rue Place Boulevard Calle Plaza Avenida Paseo Straat Plein Laan Gracht Kade
    The This That These Those There Then They We You Your Our Their His Her Its And But Or For With From Into
    About After Before During Since Until While When Where Which Who What Why How Yes No Not All Any Some Many
    Der Die Das Den Dem Des Ein Eine Einer Und Oder Aber Mit Von Bei Nach Für Auf Aus Wir Sie Ich Es Er Ihr
    Le La Les Un Une Des Du Et Ou Mais Avec Pour Dans Sur Par Nous Vous Il Elle Ils Elles Je Ce Cette
    El Los Las Una Uno Y Pero Con Para Por En Sobre Nosotros Usted Ustedes Yo Este Esta
    De Het Een En Maar Met Voor Naar Op Uit Wij Jij Ik Dit Deze
    My Mein Meine Mon Ma Mes Mi Mis Su Sus Mijn Onze Please Thanks Thank Happy Just Also Sure Bitte Danke Merci
    Gracias Bedankt Hier Here Ici Aquí
    Yesterday Today Tomorrow Tonight However Unfortunately Meanwhile Finally Hopefully Perhaps Maybe Sadly Luckily
    Gestern Heute Morgen Leider Inzwischen Vielleicht Hoffentlich Übrigens Hier Aujourd'hui Demain Hier Ensuite
    Malheureusement Peut-être Ayer Hoy Mañana Luego Quizás Desgraciadamente Gisteren Vandaag Helaas Misschien
    Dear Hi Hello Hallo Bonjour Hola Beste Ciao Salut Hoi
""".split())

# Words that end a run as a place, a street or an organisation rather than a person.
_PLACE_OR_ORG_WORDS = frozenset("""
    Street St Road Rd Avenue Ave Lane Ln Drive Dr Boulevard Blvd Square Sq Park Place Way Court Ct Close Hill
    Heights Gardens Terrace Crescent Row Bridge Station Airport Hall Centre Center Tower House Building Plaza
    Straße Strasse Str Platz Weg Gasse Allee Ring Damm Ufer Markt Hof Bahnhof Hauptbahnhof Brücke
    Rue Avenue Boulevard Bd Place Quai Chemin Impasse Allée Cours Gare Pont
    Calle Avenida Avda Plaza Paseo Camino Ronda Carretera Estación Puerto Puente
    Straat Plein Laan Gracht Kade Weg Dijk Singel Markt Steeg Haven Brug
    University Universität Université Universidad Universiteit College School Institute Institut Instituto
    Hospital Klinik Clinic Clinique Museum Musée Museo Library Foundation Stiftung Fondation Fundación Stichting
    County City Town Village Valley River Lake Beach Bay Island Islands Mountains Mount Forest Coast
    Group Holding Holdings Partners Associates Consulting Capital Ventures Solutions Systems Labs Technologies
    Media Logistics Analytics Software Health Foods Energy Industries Services Bank Insurance Motors Airlines
""".split())

# Legal forms and joiners after which a capitalised run is a company, not a person.
_LEGAL_AFTER_RE = re.compile(
    r"[ \u00a0]*(?:&|\+|and Sons|& Co|(?:GmbH|AG|KG|UG|SE|Inc|Corp|Corporation|LLC|LLP|Ltd|Limited|plc|PLC|Co|"
    r"Company|SAS|SARL|SA|S\.A\.|S\.L\.|SL|SLU|BV|B\.V\.|NV|N\.V\.|Srl|S\.r\.l\.|SpA|S\.p\.A\.|Ltda|Pty|Oy|AB|AS|"
    r"ApS|GbR|OHG|KGaA|eG|e\.V\.|Stiftung|Foundation|Group|Holding|Partners|Associates)(?![a-z]))"
)

# Titles and greetings: what stands right before a name and vouches for it.
_TITLES = frozenset("""
    Mr Mrs Ms Miss Mx Dr Prof Sir Dame Lord Lady Herr Frau Hr Fr Fräulein M Mme Mlle Mlles MM Monsieur Madame
    Mademoiselle Me Maître Sr Sra Srta Señor Señora Señorita Don Doña Dña Dhr Mevr Mw Mevrouw Meneer Heer
    Dott Dott.ssa Sig Sig.ra Signor Signora Ing Mag Dipl
""".split())
_GREETINGS = frozenset("""
    Dear Hi Hello Hey Dearest Greetings Morning Liebe Lieber Hallo Servus Moin Bonjour Bonsoir Salut Cher Chère
    Chers Hola Estimado Estimada Querido Querida Buenos Beste Geachte Hoi Dag Goedemorgen Ciao Caro Cara Gentile
    Olá Prezado Prezada
""".split())
_CUES = _TITLES | _GREETINGS
# Lower-case words between a greeting and a title ("Sehr geehrte Frau ...", "Hi there").
_PARTICLES = frozenset("van von de der den del della di da du des la le ten ter op het dos das do zu vom y e".split())

# Phrases whose next capitalised words are a name: self-introductions in five languages, and people named as
# the subject of an action in business mail. Matched at the end of the text before the run.
_INTRO_BEFORE_RE = re.compile(
    r"(?:my name is|name's|i am|i'm|ich heiße|ich heisse|mein name ist|ich bin|je m'appelle|je m’appelle|"
    r"je suis|moi c'est|me llamo|mi nombre es|soy|mijn naam is|ik ben|ik heet|"
    r"spoke (?:to|with)|talked (?:to|with)|met with|meeting with|call with|cc|attn|attention|c/o|z\. ?hd\.?|"
    r"ansprechpartner(?:in)?|contact person|contact|kontakt|contacto|contactpersoon|interlocuteur|"
    r"à l'attention de|a la atención de|t\.a\.v\.|signed|gez\.|firmado|namens)"
    r"[ \u00a0]*[:,]?[ \u00a0]*$",
    re.IGNORECASE,
)
# A closing, then the name alone on the next line (a signature).
_CLOSINGS = (
    "regards", "wishes", "best", "thanks", "thank you", "cheers", "sincerely", "yours", "grüßen", "grüße", "gruß",
    "grüsse", "grüssen", "gruss", "cordialement", "salutations", "amitiés", "bien à vous", "bises", "saludos",
    "atentamente", "un abrazo", "abrazos", "groet", "groeten", "hartelijke groet", "mvg", "danke", "merci", "gracias",
    "bedankt", "dank je", "dank u", "ciao", "cumprimentos", "abraços",
)
# The pattern "closing[,.!]\n[--\n]$" mirrored, matched once on the reversed 40 characters before a run: searching
# for the forward pattern tried every position of the window, and a run at the start of a line is common (CSV
# rows, lists, signatures). The leading "\n?" is the forward "$", which also matches before a final newline.
_CLOSING_REVERSED_RE = re.compile(
    r"\n?(?:[ \u00a0]*\n\r?[ \u00a0]*--)?[ \u00a0]*\n\r?[ \u00a0]*[,.!]?[ \u00a0]*"
    rf"(?:{'|'.join(closing[::-1] for closing in _CLOSINGS)})",
    re.IGNORECASE,
)

# Upper-case letters of Latin-script European languages (Latin-1 and Latin Extended-A; the odd lower-case letters
# the Extended-A range lets in are rejected by ``str.isupper`` below).
_UP = "A-ZÀ-ÖØ-ÞĀ-Ž"
_LOW = "a-zß-öø-ÿā-ž"
_TOKEN = rf"[{_UP}](?:[{_LOW}]+(?:['’\-][{_UP}]?[{_LOW}]+)*|\.)"
# One pass over the text: a run of capitalised words (or initials, or titles with their dot), with the lower-case
# particles of surnames in between, on one line. Starting with a character class keeps the scan fast.
_PARTICLE_ALT = "|".join(sorted(_PARTICLES, key=len, reverse=True))
_RUN_RE = re.compile(
    # The first character is a plain class and the boundary check comes after it: the regex engine then skips
    # every position that is not a capital letter quickly, which a leading lookbehind would prevent.
    rf"[{_UP}](?<![{_UP}{_LOW}0-9@._\-/'’][{_UP}])(?:[{_LOW}]+(?:['’\-][{_UP}]?[{_LOW}]+)*|\.)\.?"
    rf"(?:[ \u00a0]+(?:(?:{_PARTICLE_ALT})[ \u00a0]+)*{_TOKEN}\.?)*"
    rf"(?![{_UP}{_LOW}0-9@])"
)
# Particles right before a run that a title or greeting vouches for ("mevrouw van der Meer").
_PARTICLES_BEFORE_RE = re.compile(rf"(?<![{_UP}{_LOW}])(?:(?:{_PARTICLE_ALT})[ \u00a0]+)+$")
_TOKEN_SPLIT_RE = re.compile(r"[^ \u00a0]+")
# The lower-case word right before a run, when it may be a surname particle (none is longer than five letters).
_LOWER_WORD_BEFORE_RE = re.compile(rf"(?<![{_UP}{_LOW}])[{_LOW}]{{1,5}}$")


@lru_cache(maxsize=1)
def gazetteer() -> tuple[frozenset[str], frozenset[str]]:
    """(first names, surnames) from Faker's person providers, read once per process. Only single capitalised
    words are kept; multi-word surnames are found as runs of their words."""
    first: set[str] = set()
    last: set[str] = set()
    for locale in _LOCALES:
        try:
            provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
        except ImportError:  # a locale a later faker drops: the others still make the list
            continue
        for attr, target in (("first_names", first), ("first_names_male", first), ("first_names_female", first),
                             ("last_names", last), ("last_names_male", last), ("last_names_female", last)):
            values = getattr(provider, attr, None)
            if values is None or callable(values):
                continue
            for name in values:
                for word in str(name).replace("-", " ").split():
                    if len(word) > 1 and word[0].isupper() and word[1:].islower() and word.replace("'", "").isalpha():
                        target.add(word)
    return frozenset(first), frozenset(last)


def _is_first(word: str, first: frozenset[str]) -> bool:
    if word in first:
        return True
    if "-" in word:  # "Jean-Pierre", "Anne-Marie"
        parts = word.split("-")
        return all(p in first for p in parts)
    return False


def _is_surname(word: str, first: frozenset[str], last: frozenset[str]) -> bool:
    if word in last or word in first:
        return True
    if "-" in word:  # "Müller-Lüdenscheidt", "García-Lorca"
        return all(p in last or p in first for p in word.split("-"))
    if word[:2] in ("O'", "O’", "D'", "D’") and len(word) > 3:
        return word[2:] in last or word[2].isupper()
    return word.startswith(("Mc", "Mac")) and len(word) > 4 and word[2 if word[1] == "c" else 3].isupper()


def _is_word(token: str) -> bool:
    """A capitalised word (not an initial or an all-capitals acronym)."""
    return len(token) > 1 and token[0].isupper() and not token.isupper()


_LEGAL_TOKENS = frozenset("""
    GmbH AG KG UG Inc Inc. Corp Corp. Corporation LLC LLP Ltd Ltd. Limited plc PLC Co Co. Company SAS SARL SA
    S.A. S.L. SL SLU BV B.V. NV N.V. Srl S.r.l. SpA S.p.A. Ltda Ltda. Pty Oy AB ApS GbR OHG
""".split())


def _decide(tokens: list[tuple[int, int, str]], cued: bool, first: frozenset[str],
            last: frozenset[str]) -> tuple[int, int] | None:
    """The token indexes [i, j) of the name in a run of capitalised tokens, or None."""
    n = len(tokens)
    i = 0
    # Leading greetings and titles vouch for what follows ("Dear Mr Okafor", "Bonjour Mme Lefèvre").
    while i < n and tokens[i][2].rstrip(".") in _CUES:
        cued = True
        i += 1
    # Without a cue the name starts at the first first name or initial ("Sie Jürgen Weißmann", "The Tom Becker").
    while not cued and i < n and not _head_ok(tokens[i][2], first):
        if tokens[i][2] in _PLACE_OR_ORG_WORDS or tokens[i][2] in _PLACE_PREFIXES:
            return None  # "Place Victor Hugo", "Avenida Diagonal": a street or place named after someone
        i += 1
    if i >= n:
        return None
    if not cued and i > 0 and _unknown_first_name(tokens[i - 1][2], first, last):
        # "Kwame Fletcher": a first name the lists do not know, before a surname they do
        found = _decide(tokens[i:], True, first, last)
        if found is not None and found[1] - found[0] == 1 and tokens[i][2].rstrip(".") in last:
            return (i - 1, i + 1)
    j = i
    while j < n:
        word = tokens[j][2]
        bare = word.rstrip(".")
        if word.endswith(".") and len(bare) > 1 and bare not in _TITLES:
            # a word with a full stop ends the sentence; the name ends with it (without the stop)
            return _name_span(tokens, i, j + 1, cued, first, last, stop_dot=True)
        if bare in _PLACE_OR_ORG_WORDS and j > i:
            return None  # "Washington Square", "Charlotte Street", "Martin Luther University"
        j += 1
    return _name_span(tokens, i, n, cued, first, last, stop_dot=False)


# German (and Dutch) capitalise every noun, so "hat Anna Urlaub" puts a noun right after a first name. A word the
# gazetteer does not know is taken as a surname after a first name unless it looks like such a noun: a noun
# suffix, or one of the nouns that most often follow a name in a sentence.
_NOUN_SUFFIXES = ("ung", "heit", "keit", "schaft", "tion", "sion", "tät", "nis", "ment", "ismus", "ik", "ie", "ur",
                  "ei", "chen", "lein", "tum", "ling", "ität", "ance", "ence", "ness", "ship", "ing", "ity", "age",
                  "isme", "ité", "dad", "ción", "sión", "heid", "teit", "ing", "schap")
_COMMON_NOUNS_AFTER_NAMES = frozenset("""
    Zeit Urlaub Bescheid Termin Recht Interesse Glück Fragen Frage Lust Angst Geburtstag Feierabend Dienst Besuch
    Kontakt Kunden Kunde Team Chef Chefin Post Mail Anruf Rückruf Antwort Angebot Vertrag Rechnung Projekt Problem
    Probleme Hilfe Zugriff Zugang Info Infos Daten Unterlagen Bericht Feedback Grüße Dank Danke Morgen Abend
    Woche Wochen Tag Tage Monat Jahr Jahre Uhr Minuten Stunden Montag Büro Hause Haus Auto Geld Preis Kosten
    Tijd Vakantie Vragen Vraag Klant Klanten Offerte Contract Factuur Project Afspraak Dag Dagen Week Weken
    Jaar Uur Kantoor Huis Geld Prijs Kosten Hulp Toegang Gegevens Rapport Groeten Dank Morgen Avond
    Mar Tage Jan Feb Apr Jun Jul Aug Sep Sept Oct Okt Nov Dec Dez
""".split())


def _common_noun(word: str) -> bool:
    return word in _COMMON_NOUNS_AFTER_NAMES or (len(word) > 5 and word.endswith(_NOUN_SUFFIXES))


def _unknown_first_name(word: str, first: frozenset[str], last: frozenset[str]) -> bool:
    """A capitalised word no list knows and no rule excludes: possibly a first name from elsewhere."""
    return (_is_word(word) and word not in first and word not in last and word not in _NOT_NAMES_ALONE
            and word not in _CUES and word not in _PLACE_OR_ORG_WORDS and word not in _PLACE_PREFIXES
            and word not in _LEGAL_TOKENS and not word.endswith(".") and not _common_noun(word))


def _head_ok(word: str, first: frozenset[str]) -> bool:
    return (len(word) == 2 and word[1] == "." and word[0].isupper()) or _is_first(word.rstrip("."), first)


def _name_span(tokens: list[tuple[int, int, str]], i: int, j: int, cued: bool, first: frozenset[str],
               last: frozenset[str], stop_dot: bool) -> tuple[int, int] | None:
    words = [t[2].rstrip(".") if (stop_dot and k == j - 1) else t[2] for k, t in enumerate(tokens[i:j], start=i)]
    never, not_alone = _stop_sets(first, last)
    if cued:
        # After a title or a greeting: every capitalised word (or particle inside a surname) up to the first
        # that is clearly not a name part.
        k = 0
        while k < len(words) and (_is_word(words[k]) or (len(words[k]) == 2 and words[k][1] == ".")
                                  or words[k] in _PARTICLES) \
                and words[k] not in never:
            k += 1
        while k and words[k - 1] in _PARTICLES:
            k -= 1
        return (i, i + k) if k else None
    # No cue: a first name (or an initial) followed by surnames, or a first name alone that is nothing else.
    head = words[0]
    initial = len(head) == 2 and head[1] == "." and head[0].isupper()
    k = 1
    while k < len(words):
        word = words[k]
        if word in _PARTICLES:
            # "de la Croix", "van den Berg": particles belong to the surname that follows them
            m = k
            while m < len(words) and words[m] in _PARTICLES:
                m += 1
            if m < len(words) and _is_word(words[m]) and words[m] not in _NOT_NAMES_ALONE:
                k = m + 1
                continue
            break
        if not _is_word(word) or word in not_alone:
            break
        if _common_noun(word) or (not _is_surname(word, first, last) and (initial or head in _NOT_NAMES_ALONE)):
            break  # an unknown word after an initial or an ambiguous first name is not vouched for, nor a noun
        k += 1
    if k == 1:
        # A first name alone: only when it is not also a common word, a month or a place.
        if initial or head in _NOT_NAMES_ALONE or (head in last and head not in first):
            return None
        return (i, i + 1)
    if head in _NOT_NAMES_ALONE and not (words[1] in last and words[1] not in _NOT_NAMES_ALONE):
        return None  # "May Day", "Will Power"; but "June Carter" is a name
    return (i, i + k)


@lru_cache(maxsize=1)
def _vouching_words(first: frozenset[str]) -> frozenset[str]:
    """The tokens that can start a name or vouch for one (a first name, a title, a greeting), also with the one
    or two full stops a token of a run may end with ("Dr.", "M.."): one set look-up per run instead of
    _head_ok() and the cue test per token."""
    words = first | _CUES
    return words | {w + "." for w in words} | {w + ".." for w in words}


def _vouched(run: str, vouch: frozenset[str], first: frozenset[str]) -> bool:
    """Whether some token of the run is a first name, an initial, a title or a greeting: without one (and
    without a cue before the run) _decide() finds no name in the run. A necessary condition, never stricter
    than _decide()'s own tests."""
    words = run.split()
    if not vouch.isdisjoint(words):
        return True
    if "." in run and any(len(w) == 2 and w[1] == "." for w in words):
        return True  # an initial: "J. Smith"
    # "Jean-Pierre", "Anne-Marie": a first name of first names (_is_first)
    return "-" in run and any(all(p in first for p in w.rstrip(".").split("-")) for w in words if "-" in w)


def find_names(text: str, taken: _Taken | None = None) -> list[tuple[int, int, str]]:
    """``(start, end, "PERSON")`` for each person's name in ``text``, skipping those inside ``taken`` spans."""
    first, last = gazetteer()
    out: list[tuple[int, int, str]] = []
    facts = _word_facts(first, last)
    vouch = _vouching_words(first)
    for m in _RUN_RE.finditer(text):
        run = m.group()
        fact = facts.get(run)
        if fact is False:
            continue  # a lone "The", "We", "Monday" at the start of a sentence: the commonest run by far
        s = m.start()
        # _may_be_cued(), inlined: this runs for nearly every run of a text.
        if s > 1 and text[s - 1] == " " and text[s - 2] not in _CUE_SKIPPED_OR_BREAK:
            # One space after a word, the commonest case ("hat den Termin"): the rstrip below would stop right
            # before that space, so the word's last three characters are read without slicing the 40 before.
            cued = text[s - 4 if s > 4 else 0:s - 1].lower() in _CUE_TAILS and _cued(text, s)
        else:
            head = text[s - 40 if s > 40 else 0:s].rstrip(_CUE_SKIPPED)
            cued = bool(head) and (_may_follow_closing(text, s) if head[-1] == "\n"
                                   else head[-3:].lower() in _CUE_TAILS) and _cued(text, s)
        if not cued:
            if text[s - 1:s] == " " and text[s - 2:s - 1].islower() and _may_be_particle(text, s - 1):
                # The particles regex runs only when the word right before is one ("mevrouw van der Meer").
                before = _LOWER_WORD_BEFORE_RE.search(text, s - 7 if s > 7 else 0, s - 1)
                particles = None if before is None or before.group() not in _PARTICLES else \
                    _PARTICLES_BEFORE_RE.search(text, s - 16 if s > 16 else 0, s)
                if particles is not None and _cued(text, particles.start()):
                    cued = True
                    s = particles.start()
            if not cued and not fact and (run.isalpha() or not _vouched(run, vouch, first)):
                # No cue before the run and no word in it that is a first name, an initial, a title or a
                # greeting: _decide() would find no name in any of its sentences. Most runs are such words (a
                # noun, a sentence's first word, "Die Preise"), so nothing more is built for them. (A run that
                # is one word of letters only and not in ``facts`` is no such word either.)
                continue
        e = m.end()
        after = text[e:e + 2]
        # The legal-form regex runs only when a capital letter, '&' or '+' follows: one slice instead of a match.
        company_after = bool(after) and (after[0] in "&+" or ((after[0] == " " and after[1:2].isupper())
                                                               or after[1:2] in ("&", "+"))) \
            and _LEGAL_AFTER_RE.match(text, e) is not None
        # "21 Tage", "4 Mar 2025", "Tomo 12345", "30130-010 Belo Horizonte": a word next to a number is a unit, a
        # month, a register entry or the town after its postcode (not read after a cue: "Dear 3 ..." is rare).
        number_next = not cued and (_digit_before(text, s) or (
            " " not in run and "\u00a0" not in run and _DIGIT_AROUND_RE.match(text, e) is not None))
        if s != m.start():
            run = text[s:e]  # the particles a cue vouches for are part of the run
        for a, b in _run_names(run, cued, company_after, number_next):
            if taken is not None and taken.overlaps(s + a, s + b):
                continue
            out.append((s + a, s + b, "PERSON"))
    return out


@lru_cache(maxsize=8192)
def _run_names(run: str, cued: bool, company_after: bool, number_next: bool) -> tuple[tuple[int, int], ...]:
    """The names in one run of capitalised words, as offsets into the run: a pure function of the run and of
    what was read around it (a cue before it, a legal form after it, a number next to it). The same runs come
    back in every mail of a thread (signatures, greetings, the team's names), so their decisions are kept."""
    first, last = gazetteer()
    tokens = [(t.start(), t.end(), t.group()) for t in _TOKEN_SPLIT_RE.finditer(run)]
    # "San Francisco", "São Paulo", "Port Elizabeth": a first name after a place prefix is part of a place. A
    # number next to the run holds for its first sentence only, like a place prefix.
    not_first = number_next or tokens[0][2] in _PLACE_PREFIXES
    found_names: list[tuple[int, int]] = []
    # A run may cross sentence ends ("… Urlaub. Daan van den Berg"): each sentence's part is decided alone.
    segments = _sentences(tokens)
    for index, segment in enumerate(segments):
        # "Acme Corp.", "Tom Tailor GmbH", "Johnson & Johnson": a company, in the sentence that names it
        company = (company_after and index == len(segments) - 1) or any(t[2] in _LEGAL_TOKENS for t in segment)
        found = None if not_first or company else _decide(segment, cued, first, last)
        cued = not_first = False
        if found is None:
            continue
        a, b = found
        ns, ne = segment[a][0], segment[b - 1][1]
        if run[ne - 1] == "." and len(segment[b - 1][2]) > 2:
            ne -= 1  # the full stop after a name ends the sentence
        found_names.append((ns, ne))
    return tuple(found_names)


@lru_cache(maxsize=1)
def _stop_sets(first: frozenset[str], last: frozenset[str]) -> tuple[frozenset[str], frozenset[str]]:
    """(words never part of a name, even after a title; words that end a name unless they are surnames)."""
    return _NOT_NAMES_ALONE - first - last, _NOT_NAMES_ALONE - last


@lru_cache(maxsize=1)
def _word_facts(first: frozenset[str], last: frozenset[str]) -> dict[str, bool]:
    """What one dict look-up tells about a run that is a single word: False for a word that is never a name
    alone (_skip_alone), True for one that can start or vouch for a name (_vouching_words)."""
    facts = dict.fromkeys(_skip_alone(first, last), False)
    facts.update(dict.fromkeys(_vouching_words(first), True))
    return facts


@lru_cache(maxsize=1)
def _skip_alone(first: frozenset[str], last: frozenset[str]) -> frozenset[str]:
    """Lone words that are never a name, whatever stands before them (not a name in any list, not a cue)."""
    words = _NOT_NAMES_ALONE - first - last - _CUES
    return words | {w + "." for w in words}


def _sentences(tokens: list[tuple[int, int, str]]) -> list[list[tuple[int, int, str]]]:
    """The tokens cut after each word that ends with a full stop (not a title, not an initial)."""
    segments: list[list[tuple[int, int, str]]] = []
    current: list[tuple[int, int, str]] = []
    for token in tokens:
        current.append(token)
        word = token[2]
        if word[-1] == "." and len(word) > 2 and word[:-1] not in _TITLES:
            segments.append(current)
            current = []
    if current:
        segments.append(current)
    return segments


# "Sehr geehrte Frau Müller": the title is inside the run, but "geehrte" in front of it is lower case.
_CUE_WORD_BEFORE_RE = re.compile(
    r"(?:geehrte[rs]?|liebe[rs]?|dear|hi|hello|hey|bonjour|hola|beste|geachte|cher|chère|estimad[oa]|querid[oa]|"
    r"mevrouw|meneer|madame|monsieur|señora|señor|frau|herr|heer)"
    r"[ \u00a0]*,?[ \u00a0]*$",
    re.IGNORECASE,
)


def _cue_word_before(text: str, start: int) -> bool:
    return _CUE_WORD_BEFORE_RE.search(text, start - 16 if start > 16 else 0, start) is not None


# _INTRO_BEFORE_RE and _CUE_WORD_BEFORE_RE read backwards, for one anchored match on the reversed window before a
# run (_cued). test_pii_names_cue_phrases_read_backwards_agree.py checks that both find the same cues.
_INTRO_REVERSED_RE = re.compile(
    r"[ \u00a0]*[:,]?[ \u00a0]*(?:"
    + "|".join(re.escape(phrase[::-1]) for phrase in (
        "my name is", "name's", "i am", "i'm", "ich heiße", "ich heisse", "mein name ist", "ich bin", "je m'appelle",
        "je m’appelle", "je suis", "moi c'est", "me llamo", "mi nombre es", "soy", "mijn naam is", "ik ben",
        "ik heet", "met with", "meeting with", "call with", "cc", "attn", "attention", "c/o", "contact person",
        "contact", "kontakt", "contacto", "contactpersoon", "interlocuteur", "à l'attention de",
        "a la atención de", "signed", "firmado", "namens"))
    # spoke (?:to|with), talked (?:to|with), z\. ?hd\.?, ansprechpartner(?:in)?, t\.a\.v\., gez\.
    + rf"|(?:ot|htiw) {'spoke'[::-1]}|(?:ot|htiw) {'talked'[::-1]}|\.?dh ?\.z"
    + rf"|(?:ni)?{'ansprechpartner'[::-1]}|\.v\.a\.t|\.zeg)",
    re.IGNORECASE,
)
_CUE_WORD_REVERSED_RE = re.compile(
    r"[ \u00a0]*,?[ \u00a0]*"
    r"(?:[rs]?etrheeg|[rs]?ebeil|raed|ih|olleh|yeh|ruojnob|aloh|etseb|ethcaeg|rehc|erèhc|[oa]damitse|[oa]direuq|"
    r"wuorvem|reenem|emadam|rueisnom|aroñes|roñes|uarf|rreh|reeh)",
    re.IGNORECASE,
)


# The last word of each phrase that _INTRO_BEFORE_RE and _CUE_WORD_BEFORE_RE know: the regexes (slow to search
# backwards) run only when the word right before the run is one of these.
_CUE_LAST_WORDS = frozenset("""
    is name's am i'm heiße heisse ist bin m'appelle m’appelle suis c'est llamo es soy ben heet to with cc attn
    attention c/o hd hd. z.hd. ansprechpartner ansprechpartnerin person contact kontakt contacto contactpersoon
    interlocuteur de t.a.v. signed gez. firmado namens geehrte geehrter geehrtes liebe lieber liebes dear hi
    hello hey bonjour hola beste geachte cher chère estimado estimada querido querida mevrouw meneer madame
    monsieur señora señor frau herr heer
""".split())
_CUE_LAST_WORDS_REVERSED = frozenset(word[::-1] for word in _CUE_LAST_WORDS)
_REVERSED_LAST_WORD_RE = re.compile(r"[ \u00a0\t:,]*([^ \n\u00a0]*)")
_PLACE_PREFIXES = frozenset("San Santa Santo São Saint St Sankt Bad Port Fort Mount Mont New Nieuw Neu Los Las El".split())
_DIGIT_AROUND_RE = re.compile(r"[ \u00a0]?\d")


def _digit_before(text: str, s: int) -> bool:
    """A digit right before ``s``, or before the one space there ("30 Tage", "30130-010 Belo Horizonte")."""
    before = text[s - 2 if s > 2 else 0:s]
    return bool(before) and (before[-1].isdigit() or (before[-1] in " \u00a0" and before[:-1].isdigit()))


def _cued(text: str, s: int) -> bool:
    """Whether a self-introduction, a greeting or a closing line stands right before position ``s``."""
    lo = s - 40 if s > 40 else 0
    rev = text[lo:s][::-1]
    # The word right before, read on the reversed window by one anchored match (past the spaces, colons and
    # commas after it): this runs for every capitalised word of a text, so no slicing and searching around.
    last = _REVERSED_LAST_WORD_RE.match(rev)
    word = last.group(1)  # type: ignore[union-attr]
    if not word:  # a line break right before (or nothing at all): only a closing line can cue a signature
        return last.end() < len(rev) and _CLOSING_REVERSED_RE.match(rev) is not None  # type: ignore[union-attr]
    if word.lower() not in _CUE_LAST_WORDS_REVERSED:
        return False
    # The phrases read backwards, anchored on the reversed window (with no line break right before ``s`` here,
    # the forward patterns' "$" can only match at ``s``): searching forwards tried every position of the window.
    return _INTRO_REVERSED_RE.match(rev) is not None or _CUE_WORD_REVERSED_RE.match(rev, 0, 16) is not None


# What _cued() reads before a run, for a test that needs no slicing or regex: the characters skipped between
# the word before and the run, the last letters of every cue word, and the last three characters a cue word
# leaves before the one space in front of a run (two-letter words with the delimiter before them).
_CUE_SKIPPED = " \u00a0\t:,"
_CUE_SKIPPED_OR_BREAK = _CUE_SKIPPED + "\n"
_CUE_LAST_CHARS = frozenset(word[-1] for word in _CUE_LAST_WORDS)
_CUE_TAILS = frozenset(word[-3:] for word in _CUE_LAST_WORDS if len(word) >= 3) | frozenset(
    word for word in _CUE_LAST_WORDS if len(word) == 2) | frozenset(
    b + word for word in _CUE_LAST_WORDS if len(word) == 2 for b in " \n\u00a0")
if min(map(len, _CUE_LAST_WORDS)) < 2:  # _CUE_TAILS has no entry for a one-letter cue word
    raise RuntimeError("_may_be_cued() needs cue words of two letters or more")


def _may_be_cued(text: str, s: int) -> bool:
    """False when _cued(text, s) is certainly false; True when _cued() has to decide. _cued() reads the word
    before the run past the spaces, colons and commas after it (``head``): a cue only when it is a cue word
    (whose last three characters, with the delimiter before a two-letter word, are in _CUE_TAILS) or, when a line
    break stands there, when a closing ends the line above. Most runs follow a plain word ("hat den Termin",
    "Seiten, Die"), a number or a full stop, so the regexes run for few of them."""
    if s == 0:
        return False
    head = text[s - 40 if s > 40 else 0:s].rstrip(_CUE_SKIPPED)
    if not head:
        return False
    if head[-1] == "\n":
        return _may_follow_closing(text, s)
    return head[-3:].lower() in _CUE_TAILS


# What may stand between a closing and the signature after it (_CLOSING_REVERSED_RE: spaces, line breaks, "--",
# the closing's punctuation), and the last three letters of every closing.
_CLOSING_GAP = " \u00a0\n\r-,.!"
_CLOSING_TAILS = frozenset(closing[-3:] for closing in _CLOSINGS)
if min(map(len, _CLOSINGS)) < 3:  # _CLOSING_TAILS would miss a shorter closing
    raise RuntimeError("_may_follow_closing() needs closings of three letters or more")


def _may_follow_closing(text: str, s: int) -> bool:
    """False when no closing can stand in the 40 characters before ``s`` with only line breaks, spaces and its
    punctuation after it, so _CLOSING_REVERSED_RE cannot match: most runs after a line break start a paragraph
    or a list item, not a signature. (Letters that are not ASCII are left to the regex: its case-insensitive
    matching knows equivalences that str.lower() does not.)"""
    tail = text[s - 40 if s > 40 else 0:s].rstrip(_CLOSING_GAP)[-3:]
    return not tail.isascii() or tail.lower() in _CLOSING_TAILS


# The particles by length, for a test of the characters before a run that needs no regex.
_PARTICLES_3 = frozenset(p[-3:] for p in _PARTICLES if len(p) >= 3)
_PARTICLES_2 = frozenset(p for p in _PARTICLES if len(p) == 2)
_PARTICLES_1 = "".join(p for p in _PARTICLES if len(p) == 1)


def _may_be_particle(text: str, end: int) -> bool:
    """False when the lower-case word ending at ``end`` is certainly no surname particle (_LOWER_WORD_BEFORE_RE
    and _PARTICLES would reject it): its last three letters, or the word itself when it is shorter, must be a
    particle's ("van", "della" → "lla", "de", "y")."""
    if text[end - 3 if end > 3 else 0:end] in _PARTICLES_3 or text[end - 2 if end > 2 else 0:end] in _PARTICLES_2:
        return True
    # "y", "e": a one-letter word, so no lower-case ASCII letter before it
    return text[end - 1] in _PARTICLES_1 and not ("a" <= text[end - 2 if end > 1 else 0:end - 1] <= "z")
