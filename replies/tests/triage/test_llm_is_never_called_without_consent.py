"""Without the contact's LLM consent nothing leaves the building: not one request reaches the (fake) LLM."""

from datetime import date

from campaigns.models import Contact
from replies.tests.triage.messages import reply
from replies.triage import triage_raw
from replies.triage.llm import GatewayClassifier


def test_no_consent_means_no_call_and_review(fake_openai, organization):
    contact = Contact.objects.create(organization=organization, email="jane.doe@globex.example", first_name="Jane",
                                     llm_consent=False)

    result = triage_raw(reply("Hmm. Maybe after the summer."), today=date(2026, 3, 4),
                        llm=GatewayClassifier(organization, contact=contact), llm_allowed=contact.llm_consent)

    assert (result.category, result.layer) == ("needs_review", "review")
    assert fake_openai.received() == []


def test_the_gateway_refuses_even_if_the_caller_forgets(fake_openai, organization):
    contact = Contact.objects.create(organization=organization, email="jane.doe@globex.example", llm_consent=False)

    result = triage_raw(reply("Hmm. Maybe after the summer."), today=date(2026, 3, 4),
                        llm=GatewayClassifier(organization, contact=contact), llm_allowed=True)

    assert (result.category, result.layer) == ("needs_review", "review")
    assert fake_openai.received() == []
