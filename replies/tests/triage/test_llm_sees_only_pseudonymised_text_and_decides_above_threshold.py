"""With the contact's consent, a reply the rules cannot place goes to the LLM through the gateway: the model sees
the new text with the contact's name, address and phone replaced by placeholders (never the quoted thread), and
its answer is acted on at or above REX_TRIAGE_LLM_THRESHOLD; a referral's address comes back real."""

import json
from datetime import date

import pytest

from campaigns.models import Contact
from replies.tests.triage.messages import reply
from replies.triage import triage_raw
from replies.triage.llm import GatewayClassifier

UNCLEAR = ("Hmm. Maybe after the summer, my colleague might care more than I do.\n"
           "Jane Doe, Globex Corporation\njane.doe@globex.example\n+1 415-555-0100")
RAW_VALUES = ["Jane", "Doe", "jane.doe@globex.example", "Globex", "555-0100"]


@pytest.fixture
def contact(organization):
    return Contact.objects.create(organization=organization, email="jane.doe@globex.example", first_name="Jane",
                                  last_name="Doe", company="Globex Corporation", phone="+14155550100",
                                  llm_consent=True)


def test_the_llm_gets_pseudonymised_text_and_its_verdict_is_kept(fake_openai, organization, contact):
    fake_openai.reply(json.dumps({"category": "not_interested", "confidence": 0.86}))

    result = triage_raw(reply(UNCLEAR), today=date(2026, 3, 4), llm=GatewayClassifier(organization, contact=contact),
                        llm_allowed=contact.llm_consent)

    assert (result.category, result.layer, result.confidence) == ("not_interested", "llm", 0.86)
    [sent] = fake_openai.received("/chat/completions")
    body = sent.text()
    for value in RAW_VALUES:
        assert value not in body, f"{value!r} reached the LLM"
    assert "<PERSON_1>" in body and "<EMAIL_1>" in body
    assert "Reply STOP to unsubscribe" not in body  # the quoted thread never goes out


def test_a_referral_from_the_llm_comes_back_with_the_real_address(fake_openai, organization, contact):
    fake_openai.reply(json.dumps({"category": "referral", "confidence": 0.9, "referral_email": "<EMAIL_1>",
                                  "referral_name": "<PERSON_1>"}))

    verdict = GatewayClassifier(organization, contact=contact).classify(
        "Not me. Ask Mary Major, mary.major@initech.example.", known_values={"PERSON": ["Mary Major"]})

    [sent] = fake_openai.received("/chat/completions")
    assert "mary.major@initech.example" not in sent.text() and "Mary" not in sent.text()
    assert (verdict.category, verdict.confidence) == ("referral", 0.9)
    assert verdict.referral == {"email": "mary.major@initech.example", "name": "Mary Major"}


def test_below_the_threshold_the_message_needs_review(fake_openai, organization, contact, settings):
    settings.REX_TRIAGE_LLM_THRESHOLD = 0.7
    fake_openai.reply(json.dumps({"category": "interested", "confidence": 0.55}))

    result = triage_raw(reply(UNCLEAR), today=date(2026, 3, 4), llm=GatewayClassifier(organization, contact=contact),
                        llm_allowed=True)

    assert (result.category, result.layer) == ("needs_review", "review")
    assert "0.55" in result.reason
    assert len(fake_openai.received("/chat/completions")) == 1


def test_an_llm_failure_leaves_the_message_for_review(fake_openai, organization, contact, settings):
    settings.REX_LLM_MAX_RETRIES = 0
    fake_openai.fail(500)

    result = triage_raw(reply(UNCLEAR), today=date(2026, 3, 4), llm=GatewayClassifier(organization, contact=contact),
                        llm_allowed=True)

    assert (result.category, result.layer) == ("needs_review", "review")
