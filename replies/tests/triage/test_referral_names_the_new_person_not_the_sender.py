"""A referral carries the person to write to instead ({"email", "name"}), never the sender's own address."""

from datetime import date

import pytest

from replies.tests.triage.messages import reply
from replies.triage import triage_raw
from replies.triage.human import classify_human


@pytest.mark.parametrize("text, email, name", [
    ("Talk to jane@northwind.example, she decides.", "jane@northwind.example", None),
    ("You should reach out to Jane Doe (jane@x.com).", "jane@x.com", "Jane Doe"),
    ("Wenden Sie sich an Frau Katrin Vogel <k.vogel@bergmann.example>.", "k.vogel@bergmann.example", "Katrin Vogel"),
    ("Contactez plutôt Sophie Lefèvre : s.lefevre@vin.example", "s.lefevre@vin.example", "Sophie Lefèvre"),
    ("Hable con Lucía Fernández (lucia.fernandez@iber.example).", "lucia.fernandez@iber.example", "Lucía Fernández"),
    ("Neem contact op met Sanne de Vries, sanne.devries@polder.example.", "sanne.devries@polder.example",
     "Sanne de Vries"),
    ("Zuständig ist unser Vertriebsleiter Stefan Krüger: stefan.krueger@alpen.example",
     "stefan.krueger@alpen.example", "Stefan Krüger"),
])
def test_the_referral_is_extracted(text, email, name):
    verdict = classify_human(text)

    assert verdict.category == "referral"
    assert verdict.referral == {"email": email, "name": name}


def test_a_referral_without_an_address_keeps_the_name():
    verdict = classify_human("I've moved on, try Jane Doe.")

    assert (verdict.category, verdict.referral) == ("referral", {"email": None, "name": "Jane Doe"})


def test_the_senders_own_address_in_the_reply_is_not_a_referral():
    raw = reply("I've left Globex. Please contact Tom Becker at tom.becker@fabrikam.example instead.\n"
                "Bob Smith | bob@globex.example", sender="Bob Smith <bob@globex.example>")

    result = triage_raw(raw, today=date(2026, 3, 4))

    assert result.category == "referral"
    assert result.referral == {"email": "tom.becker@fabrikam.example", "name": "Tom Becker"}
