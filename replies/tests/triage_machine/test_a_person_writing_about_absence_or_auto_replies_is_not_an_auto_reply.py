from datetime import date
from email.message import EmailMessage

import pytest

from replies.triage.auto_replies import detect_auto_reply
from replies.triage.bounces import parse_bounce
from replies.triage.complaints import parse_complaint


def human(subject: str, text: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Jo Park <jo@customer.example>"
    msg["To"] = "anna@northwind-outreach.example"
    msg["Subject"] = subject
    msg["In-Reply-To"] = "<rex.1.out@mail.northwind-outreach.example>"
    msg.set_content(text)
    return msg


REPLIES = [
    ("Re: Quick question", "I'm back from vacation and interested. Can we talk on Thursday?"),
    ("Re: Automatic reply: Quick question", "Thanks for the auto-reply, I'll wait until you're back."),
    ("Re: Quick question", "Sorry for the slow answer, I was out of office last week. Yes, send me the deck."),
    ("Re: Quick question", "Not now. We're closing the quarter until 14 December, ask me again in January."),
    ("Re: Kurze Frage", "Danke, ich war im Urlaub. Rufen Sie mich ab Montag gerne an."),
    ("Re: Petite question", "Bonjour, de retour de congés, je suis intéressé. Appelez-moi."),
    ("Re: Una pregunta", "Gracias, volví de vacaciones. ¿Podemos hablar el martes?"),
    ("Re: Korte vraag", "Ik was afwezig, maar ik heb interesse. Bel me maar."),
    ("Out of office software?", "Do you also sell an out-of-office assistant? That's what we need."),
]


@pytest.mark.parametrize(("subject", "text"), REPLIES, ids=[r[1][:40] for r in REPLIES])
def test_a_person_writing_about_absence_or_auto_replies_is_not_an_auto_reply(subject, text):
    msg = human(subject, text)
    assert detect_auto_reply(msg, text, today=date(2026, 12, 8)) is None
    assert parse_bounce(msg) is None
    assert parse_complaint(msg) is None
