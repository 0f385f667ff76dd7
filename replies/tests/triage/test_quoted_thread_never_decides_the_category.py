"""Our own e-mail quoted below a reply ("interested?", "book a call", "reply STOP to unsubscribe") never decides
the reply's category, whether the reply is plain text, HTML only or quoted Outlook's way."""

from datetime import date

import pytest

from replies.tests.triage.messages import reply
from replies.triage import new_text_of, triage_raw


@pytest.mark.parametrize("html_only", [False, True])
def test_an_acknowledgement_above_our_pitch_is_other(html_only):
    result = triage_raw(reply("Thanks, got it.", html_only=html_only), today=date(2026, 3, 4))

    assert (result.category, result.layer) == ("other", "rules")


@pytest.mark.parametrize("text", [
    "Thanks, got it.\n\nOn Tue, Mar 3, 2026 at 10:02 AM Alex <\nalex@x.example> wrote:\n> Reply STOP to unsubscribe",
    "Thanks, got it.\n\nAm Di., 3. März 2026 um 10:02 Uhr schrieb Alex <alex@x.example>:\n> Kein Interesse?",
    "Thanks, got it.\n\nLe mar. 3 mars 2026 à 10:02, Alex <alex@x.example> a écrit :\n> Intéressé ?",
    "Thanks, got it.\n\n________________________________\nVon: Alex <alex@x.example>\nGesendet: Dienstag\n\nDemo?",
    "Thanks, got it.\n\nSent from my iPhone\n\n> Book a call",
    "Thanks, got it.\n\nBest,\nJane\nVP Sales | jane@globex.example",
])
def test_new_text_stops_at_the_quote_or_signature(text):
    assert new_text_of(text) == "Thanks, got it."
