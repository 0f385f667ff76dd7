"""Auto-replies: out-of-office notices (with the first day back when stated) and other automatic answers.

Evidence, strongest first:

- headers a person's reply never has: ``Auto-Submitted`` other than "no" (RFC 3834), ``X-Autoreply``,
  ``X-Autorespond``, ``Precedence: auto_reply``, an empty ``Return-Path: <>``;
- an auto-reply subject, at the START of the subject ("Automatic reply:", "Out of Office", "Abwesenheitsnotiz",
  "Réponse automatique", "Respuesta automática", "Automatisch antwoord", …): "Re: Automatic reply: …" is a person
  answering one, and is left alone;
- weaker headers that also ride on mailing-list mail or inbox-rule forwards (``Precedence: bulk|junk``,
  ``X-MS-Exchange-Inbox-Rules-Loop``) and the hint ``X-Auto-Response-Suppress``: these count only together with
  auto-reply or absence wording;
- with no header and no such subject, only boilerplate a person does not write in a reply counts ("I am currently
  out of the office until …", "with limited access to email", "this is an automated message", "in dringenden
  Fällen", …): "I'm back from vacation and interested" or "thanks for the auto-reply" are a person's words.

An auto-reply with absence wording (in English, German, French, Spanish or Dutch) is an out-of-office; any other
(ticket systems, "we received your request", "no longer with the company", a changed address) is "auto_reply".
Delivery and feedback reports are never auto-replies here: the caller tries ``parse_bounce`` and
``parse_complaint`` first, and a ``multipart/report`` gives None so the order cannot go wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from email.message import Message

from replies.triage.bounces import parse_bounce
from replies.triage.mailparts import header, message_text
from replies.triage.return_dates import find_return_date

OUT_OF_OFFICE, AUTO_REPLY = "out_of_office", "auto_reply"


@dataclass(frozen=True)
class AutoReply:
    kind: str                   # "out_of_office" | "auto_reply"
    return_date: date | None    # the first day back (see replies.triage.return_dates), out-of-office only
    reason: str                 # what decided it, for the triage details


AUTO_SUBJECT = re.compile(
    r"^\s*(?:\[?(?:automatic|automated|auto)[ -]?(?:reply|response|answer)\]?|auto(?:reply|response)\b|auto:"
    r"|out of (?:the )?office|\booo\b|\boof\b|away from (?:the|my) office|on (?:vacation|holiday|leave)\b"
    r"|abwesenheits?notiz|abwesend\b|automatische antwort|urlaub\b"
    r"|r[ée]ponse automatique|absente? du bureau|absence\b|absent\b"
    r"|respuesta autom[áa]tica|ausencia\b|fuera de la oficina|de vacaciones"
    r"|automatisch antwoord|afwezig\b|vakantie\b|buiten kantoor"
    r"|\[?request received\]?|ticket received)"
    # A prefix, not the start of a sentence: "Out of office: …", "Urlaub", "[Request received] …", not "Out of office
    # software?" (a person asking about it).
    r"(?:(?<=\])|(?=\s*(?:$|[:|(\-\u2013])))", re.IGNORECASE)

ABSENCE = re.compile(
    # English
    r"out of (?:the )?office|\booo\b|\boof\b|\bon (?:(?:annual|parental|maternity|paternity|sick|medical|study) )?"
    r"(?:vacation|holidays?|leave|sabbatical|a business trip|business travel)\b|\baway (?:from (?:the|my) (?:office|desk)|"
    r"until|till|on (?:holiday|vacation|business))|\b(?:i|we)(?:'ll| will| shall) be back\b|\bback (?:on|in the office)\b"
    r"|\breturning (?:on\b|in\b|to (?:the )?(?:office|work)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|(?:mon|tues|wednes|thurs|fri|satur|sun)day)|\b(?:limited|no) access to (?:my )?e-?mails?\b"
    r"|\btravell?ing (?:on business|for work)"
    r"|\bout of town\b|office (?:is|will be) closed|closed for the holidays|\bnot in the office\b|attending a conference"
    # German
    r"|\babwesen(?:d|heit)|nicht im (?:büro|hause?|office)|au(?:ß|ss)er haus|\burlaub\b|\bwieder (?:erreichbar|im büro|"
    r"im haus|da\b|für sie da|zurück)|\bdienstreise|\belternzeit|\bmutterschutz|nicht erreichbar|keinen zugriff auf"
    # French
    r"|\babsente?\b|\ben congés?\b|\ben vacances\b|\bde retour\b|\ben déplacement\b|accès limité|hors du bureau"
    r"|congé (?:maternité|parental)"
    # Spanish
    r"|fuera de la oficina|\bde vacaciones\b|\bde vuelta\b|\bausente\b|\bausencia\b|\bregreso el\b|\bde viaje\b"
    r"|acceso limitado|\bde baja\b"
    # Dutch
    r"|\bafwezig\b|buiten kantoor|met vakantie|\bterug op\b|niet op kantoor|\bweer (?:aanwezig|bereikbaar|op kantoor)"
    r"|\bverlof\b|\bvakantie\b", re.IGNORECASE)

# Automatic-answer wording, enough once a header or the subject already says "machine".
AUTO_WORDING = re.compile(
    r"automatic(?:ally)? (?:reply|response|generated|message)|auto-?(?:reply|response)|\bautomated\b|"
    r"(?:we(?:'ve| have)?|has been) received your|received your (?:request|message|e-?mail)|\bticket\b|"
    r"within (?:\w+ )?(?:business |working )?(?:hours?|days?)|do not reply|not monitored|no longer (?:with|work|use)"
    r"|(?:address|e-?mail) (?:has )?changed|awaits moderator|please (?:verify|confirm)"
    r"|automatisch|haben ihre (?:anfrage|nachricht|e-mail) erhalten|melden uns|bearbeiten ihre"
    r"|r[ée]ponse automatique|message automatique|bien reçu votre|vous répondrons"
    r"|respuesta autom[áa]tica|mensaje autom[áa]tico|hemos recibido su|le (?:responderemos|contestaremos)"
    r"|automatisch antwoord|bedankt voor uw bericht|wij reageren|hebben uw (?:bericht|e-mail) ontvangen",
    re.IGNORECASE)

# Boilerplate that is enough on its own (no header, no auto subject): what a machine or a vacation notice says,
# never how a person answers a sales email.
STRONG_ABSENCE = re.compile(
    r"\bi(?:'m| am) (?:currently |now )?(?:out of (?:the )?office|ooo|away from (?:the|my) office|on (?:annual |parental |"
    r"maternity |paternity |sick )?(?:leave|vacation|holiday))(?: until| till| through| and| with| from|,|\.)"
    r"|\bwith (?:limited|no) access to (?:my )?e-?mails?\b|for urgent matters|in dringenden fällen|pour toute urgence"
    r"|para asuntos urgentes|voor dringende zaken|ihre (?:e-mail|nachricht) wird nicht weitergeleitet"
    r"|\bich bin (?:bis|vom) .{0,40}(?:nicht im büro|im urlaub|abwesend|nicht erreichbar)"
    r"|\bje suis (?:actuellement )?(?:absente?|en congés?)\b|\bestoy (?:actualmente )?(?:fuera de la oficina|de vacaciones)"
    r"|\bik ben (?:momenteel )?(?:afwezig|met vakantie|buiten kantoor)", re.IGNORECASE)
STRONG_AUTO = re.compile(
    r"this is an? (?:automated|automatic|auto-generated|automatically generated) (?:reply|response|message|notification"
    r"|e-?mail)|do not reply to this (?:e-?mail|message)|this mailbox is not monitored"
    r"|dies ist eine automatisch|diese (?:e-mail|nachricht) wurde automatisch"
    r"|ceci est (?:une réponse|un message) automatique"
    r"|(?:este|esto) es (?:un mensaje|una respuesta) autom[áa]tic|dit is een automatisch", re.IGNORECASE)

# Where the quoted thread starts in the reply: our own outreach below it must not count as the sender's words.
QUOTE_START = re.compile(
    r"^(?:On .{5,200} wrote:|Am .{5,200} schrieb .{0,200}:|Le .{5,200} a écrit\s?:|El .{5,200} escribió:|"
    r"Op .{5,200} schreef .{0,200}:|-{2,}\s*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|"
    r"Mensaje original|Oorspronkelijk bericht)\s*-{2,}|From: .+\n(?:Sent|Gesendet|Envoyé|Enviado|Verzonden): )",
    re.IGNORECASE | re.MULTILINE)
ENGLISH_WORDS = re.compile(r"\b(?:the|and|i|you|will|until|office|back|my|your|please|thank)\b", re.IGNORECASE)
OTHER_WORDS = re.compile(r"\b(?:ich|und|bin|nicht|je|suis|vous|et|estoy|hasta|usted|ik|ben|tot|het)\b", re.IGNORECASE)


def detect_auto_reply(msg: Message, text: str, *, today: date) -> AutoReply | None:
    """The auto-reply ``msg`` is, or None; ``text`` is its own text (the quoted thread cut off), read from ``msg``
    when empty; ``today`` resolves dates without a year and weekdays."""
    if msg.get_content_type() == "multipart/report" or parse_bounce(msg) is not None:
        # A bounce also carries Auto-Submitted and an empty Return-Path: it is never "an auto-reply" here.
        return None
    words = own_words(text or message_text(msg))
    subject = header(msg, "Subject")
    signals = _header_signals(msg)
    strong = [name for name, level in signals if level == "strong"]
    weak = [name for name, level in signals if level != "strong"]
    auto_subject = AUTO_SUBJECT.search(subject)
    absence = ABSENCE.search(subject) or ABSENCE.search(words)

    if strong or auto_subject:
        evidence = strong + ([f"subject {auto_subject.group(0).strip()!r}"] if auto_subject else [])
    elif weak and (absence or AUTO_WORDING.search(words)):
        evidence = [*weak, "auto-reply wording"]
    elif (boilerplate := STRONG_ABSENCE.search(words) or STRONG_AUTO.search(words)) is not None:
        evidence = [f"wording {boilerplate.group(0).strip()!r}"]
    else:
        return None

    if not absence:
        return AutoReply(kind=AUTO_REPLY, return_date=None, reason="auto-reply: " + "; ".join(evidence))
    english = len(ENGLISH_WORDS.findall(words)) > len(OTHER_WORDS.findall(words))
    return_date = find_return_date(words, today=today, english=english) or \
        find_return_date(subject, today=today, english=english)
    reason = f"out of office ({absence.group(0).strip()!r}): " + "; ".join(evidence)
    return AutoReply(kind=OUT_OF_OFFICE, return_date=return_date, reason=reason)


def own_words(text: str) -> str:
    """``text`` without the quoted thread: cut at the first reply header, "> " lines dropped."""
    match = QUOTE_START.search(text)
    if match:
        text = text[:match.start()]
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith(">"))


def _header_signals(msg: Message) -> list[tuple[str, str]]:
    signals: list[tuple[str, str]] = []
    auto_submitted = header(msg, "Auto-Submitted").lower()
    if auto_submitted and not auto_submitted.startswith("no"):
        signals.append((f"Auto-Submitted: {auto_submitted}", "strong"))
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder"):
        value = header(msg, name).lower()
        if value and value not in ("no", "false", "0"):
            signals.append((name, "strong"))
    precedence = header(msg, "Precedence").lower()
    if precedence == "auto_reply":
        signals.append(("Precedence: auto_reply", "strong"))
    elif precedence in ("bulk", "junk", "list"):
        signals.append((f"Precedence: {precedence}", "weak"))
    if msg.get("Return-Path") is not None and header(msg, "Return-Path").replace(" ", "") == "<>":
        signals.append(("empty Return-Path", "strong"))
    if msg.get("X-MS-Exchange-Inbox-Rules-Loop") is not None:
        signals.append(("X-MS-Exchange-Inbox-Rules-Loop", "weak"))
    if msg.get("X-Auto-Response-Suppress") is not None:
        signals.append(("X-Auto-Response-Suppress", "hint"))
    return signals
