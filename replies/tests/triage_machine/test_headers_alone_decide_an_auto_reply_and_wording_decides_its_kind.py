from datetime import date
from email.message import EmailMessage

import pytest

from replies.triage.auto_replies import detect_auto_reply

TODAY = date(2026, 12, 8)


def message(headers: dict[str, str], text: str, subject: str = "Re: Quick question") -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "someone@customer.example"
    msg["Subject"] = subject
    for name, value in headers.items():
        msg[name] = value
    msg.set_content(text)
    return msg


@pytest.mark.parametrize("headers", [
    {"Auto-Submitted": "auto-replied"}, {"Auto-Submitted": "auto-generated"}, {"X-Autoreply": "yes"},
    {"X-Autorespond": "1"}, {"Precedence": "auto_reply"}, {"Return-Path": "<>"},
])
def test_a_strong_header_alone_makes_an_auto_reply(headers):
    found = detect_auto_reply(message(headers, "Thank you for your message."), "", today=TODAY)
    assert found is not None and found.kind == "auto_reply"


def test_auto_submitted_no_is_a_person():
    assert detect_auto_reply(message({"Auto-Submitted": "no"}, "Sounds good, call me."), "", today=TODAY) is None


@pytest.mark.parametrize("headers", [{"X-Auto-Response-Suppress": "All"}, {"Precedence": "bulk"},
                                     {"X-MS-Exchange-Inbox-Rules-Loop": "jo@customer.example"}])
def test_a_weak_header_needs_auto_reply_or_absence_wording(headers):
    assert detect_auto_reply(message(headers, "Sounds good, call me Tuesday."), "", today=TODAY) is None
    found = detect_auto_reply(message(headers, "I am out of the office until Friday 11 December."), "", today=TODAY)
    assert found is not None and found.kind == "out_of_office" and found.return_date == date(2026, 12, 12)


def test_absence_wording_with_a_header_is_out_of_office_with_its_return_date():
    found = detect_auto_reply(message({"Auto-Submitted": "auto-replied"}, "Je suis en congé, de retour le 5 janvier."),
                              "", today=TODAY)
    assert found is not None
    assert (found.kind, found.return_date) == ("out_of_office", date(2027, 1, 5))


def test_the_quoted_thread_does_not_count_as_the_senders_words():
    text = ("Thank you for your email, we will answer shortly.\n\nOn Mon, 7 Dec 2026, Anna wrote:\n"
            "> I'm out of the office until Friday, back on Monday 14 December.")
    found = detect_auto_reply(message({"Auto-Submitted": "auto-generated"}, text), "", today=TODAY)
    assert found is not None and found.kind == "auto_reply"


def test_boilerplate_without_any_header_is_still_an_out_of_office():
    found = detect_auto_reply(message({}, "I am currently out of the office until 12/14/2026 with limited access "
                                          "to email."), "", today=TODAY)
    assert found is not None and found.kind == "out_of_office" and found.return_date == date(2026, 12, 15)
