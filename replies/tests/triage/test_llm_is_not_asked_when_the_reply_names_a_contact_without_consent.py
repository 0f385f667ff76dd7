"""The sender's consent is not enough: a reply that names another of the organization's contacts (by address or
phone) goes to the LLM only if that contact consented too. Otherwise nothing reaches the (fake) LLM and a person
triages the reply; with their consent it goes out with their data pseudonymised."""

import json
from datetime import date

import pytest

from campaigns.models import Contact
from replies.tests.triage.messages import reply
from replies.triage import triage_raw
from replies.triage.llm import GatewayClassifier

# Bob is named by his phone in the text and by his address in the subject (an address in the text would make the
# rules read a referral, and the LLM would not be asked at all).
NAMING_BOB = "Hmm. Maybe after the summer, my colleague might care more than I do (+1 415-555-0199)."
SUBJECT = "Re: Quick question (bob@initech.example in cc)"


@pytest.fixture
def sender(organization) -> Contact:
    return Contact.objects.create(organization=organization, email="jane.doe@globex.example", first_name="Jane",
                                  last_name="Doe", llm_consent=True)


def triage(organization, sender):
    return triage_raw(reply(NAMING_BOB, subject=SUBJECT), today=date(2026, 3, 4),
                      llm=GatewayClassifier(organization, contact=sender), llm_allowed=sender.llm_consent)


@pytest.mark.parametrize("bob", [{"email": "bob@initech.example"}, {"phone": "+14155550199"}],
                         ids=["named-by-address", "named-by-phone"])
def test_a_named_contact_without_consent_keeps_the_reply_from_the_llm(fake_openai, organization, sender, bob):
    Contact.objects.create(organization=organization, llm_consent=False, **bob)
    fake_openai.reply(json.dumps({"category": "not_interested", "confidence": 0.9}))

    result = triage(organization, sender)

    assert (result.category, result.layer) == ("needs_review", "review")
    assert "no LLM consent" in result.reason and "names a contact without LLM consent" in result.reason
    assert fake_openai.received() == []


def test_a_named_contact_with_consent_goes_out_pseudonymised(fake_openai, organization, sender):
    Contact.objects.create(organization=organization, email="bob@initech.example", first_name="Bob",
                           last_name="Builder", llm_consent=True)
    fake_openai.reply(json.dumps({"category": "not_interested", "confidence": 0.9}))

    result = triage(organization, sender)

    assert (result.category, result.layer) == ("not_interested", "llm")
    [sent] = fake_openai.received("/chat/completions")
    for value in ("bob@initech.example", "555-0199", "jane.doe@globex.example"):
        assert value not in sent.text(), f"{value!r} reached the LLM"
