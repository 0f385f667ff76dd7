"""Write the human-reply part of the triage corpus: ``replies/tests/corpus/human/human-*.eml`` and their labels.

Usage: ``python scripts/triage_human_corpus.py`` (deterministic: seeded, so running it again writes the same files).

Each text of ``human_corpus_texts.py`` becomes a whole RFC 5322 reply as a mail client would send it: our outbound
e-mail quoted below (Gmail's "On … wrote:" in the sender's language, or Outlook's header block), whose own words
("interested", "book a call", "reply STOP to unsubscribe") are traps for a classifier that reads the quote; a
signature or a sign-off; sometimes "Sent from my iPhone"; plain text, multipart/alternative or HTML only.

The split is fixed here, before any rule was written: within each language and category, every third text
(positions 1, 4, 7 …) is ``heldout``, the rest ``tune``. Held-out texts are never looked at while tuning rules.
The labels go to ``human/labels.jsonl``, a file of this part's own (the loader reads every part's).
"""

from __future__ import annotations

import json
import random
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import format_datetime
from html import escape
from pathlib import Path

from human_corpus_texts import TEXTS, TRICKY

CORPUS = Path(__file__).resolve().parent.parent / "replies" / "tests" / "corpus" / "human"
OURS = ("Alex Morgan", "alex@outreach.rex-demo.example")

PEOPLE = {
    "en": [("Chris", "Walker", "brightpath.com"), ("Emily", "Stone", "harborview.io"), ("Daniel", "Reed", "kestrel.co"),
           ("Olivia", "Grant", "summitcrm.com"), ("Ryan", "Patel", "bluefin-analytics.com")],
    "de": [("Markus", "Schneider", "schneider-gmbh.de"), ("Julia", "Wagner", "techwerk.de"),
           ("Thomas", "Becker", "becker-it.de"), ("Sabine", "Koch", "kochundpartner.at")],
    "fr": [("Pierre", "Dubois", "dubois-associes.fr"), ("Camille", "Laurent", "studio-laurent.fr"),
           ("Nicolas", "Bernard", "bernard-industrie.fr"), ("Élodie", "Petit", "petitconseil.be")],
    "es": [("Pablo", "García", "garcia-asesores.es"), ("Elena", "Martínez", "martinez-digital.com"),
           ("Sergio", "Sánchez", "sanchez-logistica.es"), ("Ana", "Romero", "romero-tech.mx")],
    "nl": [("Pieter", "de Jong", "dejong-advies.nl"), ("Femke", "van Dijk", "vandijk-media.nl"),
           ("Thijs", "Mulder", "mulder-ict.nl"), ("Anouk", "Peters", "peters-groep.be")],
}

TITLES = {"en": ["Head of Operations", "VP Sales", "Founder & CEO", "Marketing Manager"],
          "de": ["Geschäftsführer", "Leiterin Vertrieb", "Head of Marketing", "IT-Leiter"],
          "fr": ["Directeur commercial", "Responsable marketing", "Gérante", "DSI"],
          "es": ["Director comercial", "Responsable de marketing", "CEO", "Jefa de operaciones"],
          "nl": ["Directeur", "Marketingmanager", "Hoofd verkoop", "Operations manager"]}

PHONES = {"en": "+1 415 555 0{n:03d}", "de": "+49 30 1234 5{n:03d}", "fr": "+33 1 42 68 5{n:01d} {n:02d}",
          "es": "+34 912 345 {n:03d}", "nl": "+31 20 123 4{n:03d}"}

SIGN_OFF = {"en": ["Best,", "Thanks,", "Regards,", "Cheers,"], "de": ["Viele Grüße", "Beste Grüße", "MfG"],
            "fr": ["Cordialement,", "Bien à vous,", "Bonne journée,"], "es": ["Saludos,", "Un saludo,", "Atentamente,"],
            "nl": ["Met vriendelijke groet,", "Groet,", "Groeten,"]}

MOBILE = {"en": "Sent from my iPhone", "de": "Von meinem iPhone gesendet", "fr": "Envoyé de mon iPhone",
          "es": "Enviado desde mi iPhone", "nl": "Verstuurd vanaf mijn iPhone"}

SUBJECT = {"en": "Quick question about your outbound", "de": "Kurze Frage zu Ihrem Vertrieb",
           "fr": "Petite question sur votre prospection", "es": "Una pregunta sobre su prospección",
           "nl": "Korte vraag over jullie outbound"}

REPLY_PREFIX = {"en": "Re: ", "de": "AW: ", "fr": "RE : ", "es": "RE: ", "nl": "Re: "}

# Our outbound e-mail, as quoted: its words must never decide the category of the reply.
PITCH = {
    "en": ("Hi {first},\n\nWould you be interested in a quick call about booking more meetings from outbound? "
           "Teams like yours use REX to book a call with 3x more prospects.\n\nAre you free Tuesday?\n\n"
           "Best,\nAlex\n\nNot interested? Reply STOP to unsubscribe."),
    "de": ("Hallo {first},\n\nhätten Sie Interesse an einem kurzen Gespräch? Gerne zeige ich Ihnen in einer Demo, "
           "wie Teams mit REX mehr Termine buchen.\n\nPasst Ihnen Dienstag?\n\nViele Grüße\nAlex\n\n"
           "Kein Interesse? Antworten Sie mit STOP, um sich abzumelden."),
    "fr": ("Bonjour {first},\n\nSeriez-vous intéressé par un court appel ? Je peux vous montrer une démo de REX.\n\n"
           "Êtes-vous disponible mardi ?\n\nCordialement,\nAlex\n\nPour vous désinscrire, répondez STOP."),
    "es": ("Hola {first},\n\n¿Le interesa una llamada breve? Me gustaría enseñarle una demo de REX.\n\n"
           "¿Tiene tiempo el martes?\n\nSaludos,\nAlex\n\nPara darse de baja, responda STOP."),
    "nl": ("Hoi {first},\n\nHeb je interesse in een kort gesprek? Graag laat ik je een demo van REX zien.\n\n"
           "Past dinsdag?\n\nGroet,\nAlex\n\nGeen interesse? Antwoord STOP om je af te melden."),
}

WEEKDAY = {"en": "Tue, Mar 3, 2026 at 10:02 AM", "de": "Di., 3. März 2026 um 10:02 Uhr",
           "fr": "mar. 3 mars 2026 à 10:02", "es": "mar, 3 mar 2026 a las 10:02", "nl": "di 3 mrt 2026 om 10:02"}


def gmail_header(lang: str) -> str:
    who = f"{OURS[0]} <{OURS[1]}>"
    when = WEEKDAY[lang]
    return {"en": f"On {when} {who} wrote:", "de": f"Am {when} schrieb {who}:", "fr": f"Le {when}, {who} a écrit :",
            "es": f"El {when}, {OURS[0]} (<{OURS[1]}>) escribió:", "nl": f"Op {when} schreef {who}:"}[lang]


def outlook_header(lang: str, subject: str, to: str) -> str:
    labels = {"en": ("From", "Sent", "To", "Subject", "Tuesday, March 3, 2026 10:02 AM"),
              "de": ("Von", "Gesendet", "An", "Betreff", "Dienstag, 3. März 2026 10:02"),
              "fr": ("De ", "Envoyé ", "À ", "Objet ", "mardi 3 mars 2026 10:02"),
              "es": ("De", "Enviado el", "Para", "Asunto", "martes, 3 de marzo de 2026 10:02"),
              "nl": ("Van", "Verzonden", "Aan", "Onderwerp", "dinsdag 3 maart 2026 10:02")}[lang]
    frm, sent, to_label, subj, when = labels
    return (f"________________________________\n{frm}: {OURS[0]} <{OURS[1]}>\n{sent}: {when}\n{to_label}: {to}\n"
            f"{subj}: {subject}")


def signature(r: random.Random, lang: str, first: str, last: str, email: str, n: int) -> str:
    style = r.choice(["full", "full", "short", "dashes", "none"])
    phone = PHONES[lang].format(n=n % 100)
    title = r.choice(TITLES[lang])
    company = email.split("@")[1].split(".")[0].replace("-", " ").title()
    if style == "full":
        return f"{r.choice(SIGN_OFF[lang])}\n{first}\n\n{first} {last}\n{title} | {company}\n{phone}\n{email}"
    if style == "short":
        return f"{r.choice(SIGN_OFF[lang])}\n{first}"
    if style == "dashes":
        return f"-- \n{first} {last}\n{title}, {company}\nT {phone}"
    return first


def quoted(text: str) -> str:
    return "\n".join(">" if not line else f"> {line}" for line in text.splitlines())


def html_of(text: str) -> str:
    return "<br>\n".join(escape(line) for line in text.splitlines())


def build(r: random.Random, lang: str, body: str, n: int) -> bytes:
    first, last, domain = r.choice(PEOPLE[lang])
    sender = f"{first.lower().replace('é', 'e')}.{last.lower().replace(' ', '').replace('á', 'a')}@{domain}"
    sender = sender.replace("í", "i")
    subject = SUBJECT[lang]
    pitch = PITCH[lang].format(first=first)
    mobile = r.random() < 0.2
    sig = MOBILE[lang] if mobile else signature(r, lang, first, last, sender, n)
    outlook = not mobile and r.random() < 0.3
    shape = r.choices(["plain", "alternative", "html"], weights=[55, 30, 15])[0]
    top_post = body.format(first=first)

    if outlook:
        header = outlook_header(lang, subject, f"{first} {last} <{sender}>")
        plain = f"{top_post}\n\n{sig}\n\n{header}\n\n{pitch}\n"
    else:
        header = gmail_header(lang)
        if r.random() < 0.25:  # Gmail wraps a long attribution line; the reply parser must still find it
            cut = header.index("<")
            header = header[:cut] + "<\n" + header[cut + 1:]
        plain = f"{top_post}\n\n{sig}\n\n{header}\n\n{quoted(pitch)}\n"

    if outlook:
        html = (f'<html><body><div>{html_of(top_post)}</div><div><br></div><div>{html_of(sig)}</div>'
                f'<hr style="display:inline-block;width:98%"><div id="divRplyFwdMsg" dir="ltr">'
                f'{html_of(header.split(chr(10), 1)[1])}</div><div>{html_of(pitch)}</div></body></html>')
    else:
        html = (f'<div dir="ltr">{html_of(top_post)}<br><br>{html_of(sig)}</div><br><div class="gmail_quote">'
                f'<div dir="ltr" class="gmail_attr">{escape(header)}<br></div><blockquote class="gmail_quote" '
                f'style="margin:0px 0px 0px 0.8ex;border-left:1px solid rgb(204,204,204);padding-left:1ex">'
                f'{html_of(pitch)}</blockquote></div>')

    msg = EmailMessage(policy=SMTP)
    msg["From"] = f"{first} {last} <{sender}>"
    msg["To"] = f"{OURS[0]} <{OURS[1]}>"
    msg["Subject"] = REPLY_PREFIX[lang] + subject
    sent_at = datetime(2026, 3, 3, 11, 0, tzinfo=UTC) + timedelta(minutes=37 * n)
    msg["Date"] = format_datetime(sent_at)
    # Fixed ids (not make_msgid's, which carry the time and pid) so that writing the corpus again changes nothing.
    ours = f"<out{n}.{r.getrandbits(40):x}@outreach.rex-demo.example>"
    msg["Message-ID"] = f"<reply{n}.{r.getrandbits(40):x}@{domain}>"
    msg["In-Reply-To"] = ours
    msg["References"] = ours
    if mobile:
        msg["X-Mailer"] = "iPhone Mail (21D61)"
    if shape == "plain":
        msg.set_content(plain)
    elif shape == "alternative":
        msg.set_content(plain)
        msg.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
        msg.set_boundary(f"==rex-corpus-{n:04d}==")  # the email package's is random: keep the files reproducible
    else:
        msg.set_content(f"<html><body>{html}</body></html>", subtype="html")
    return bytes(msg)


def main() -> None:
    r = random.Random(20260303)
    labels: list[dict] = []
    n = 0
    for lang, by_category in TEXTS.items():
        for category, texts in by_category.items():
            cell = list(texts) + list(TRICKY.get(lang, {}).get(category, []))
            for i, entry in enumerate(cell):
                body, referral = (entry[0], {"email": entry[1], "name": entry[2]}) if isinstance(entry, tuple) \
                    else (entry, None)
                name = f"human-{lang}-{category}-{i + 1:02d}.eml"
                n += 1
                (CORPUS / name).write_bytes(build(r, lang, body, n))
                labels.append({"file": name, "category": category, "bounce_class": None, "status": None,
                               "return_date": None, "split": "heldout" if i % 3 == 1 else "tune", "lang": lang,
                               "referral": referral})
    (CORPUS / "labels.jsonl").write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in labels))
    print(f"wrote {len(labels)} human replies to {CORPUS}")


if __name__ == "__main__":
    main()
