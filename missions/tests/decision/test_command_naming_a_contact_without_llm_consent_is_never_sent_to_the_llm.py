"""A free-text command that names a contact without LLM consent (by e-mail address or phone number) is refused
before anything reaches the LLM: 400 with the reason, the refusal recorded, the (fake) LLM server receives nothing.
One such contact among consenting ones is enough; another organization's contact of the same address is not ours."""

import json

import pytest

from campaigns.models import Contact
from missions.models import CommandDecision, Mission
from tenants.models import Organization

PLAN = json.dumps({"intent": "canary", "missions": [{"type": "canary", "params": {"message": "<EMAIL_1>"}}],
                   "confidence": 0.9, "explanation": "a pipeline check"})


def ask(client, text: str):
    return client.post("/api/rex/command", {"command": text}, format="json")


@pytest.fixture
def refusing(organization) -> Contact:
    return Contact.objects.create(organization=organization, email="jane.doe@globex.example",
                                  phone="+442079460958", llm_consent=False)


def assert_refused_and_nothing_sent(response, fake_openai, named_as: str) -> None:
    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith("REX did not send this command to the LLM: it contains data of a contact without LLM "
                              f"consent ({named_as})."), message
    assert fake_openai.received() == []
    assert Mission.objects.count() == 0
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome) == ("llm", "rejected")
    assert "contact without LLM consent" in decision.summary


def test_a_contact_named_by_address_is_never_sent(api_client, fake_openai, refusing):
    fake_openai.reply(PLAN)

    response = ask(api_client, "could you kick off a quick pipeline check about Jane.Doe@Globex.example")

    assert_refused_and_nothing_sent(response, fake_openai, "jane.doe@globex.example")


def test_a_contact_named_by_phone_in_another_format_is_never_sent(api_client, fake_openai, refusing):
    fake_openai.reply(PLAN)

    response = ask(api_client, "could you kick off a quick pipeline check and ring +44 (0)20 7946 0958 after")

    assert_refused_and_nothing_sent(response, fake_openai, "+442079460958")


def test_one_contact_without_consent_among_consenting_ones_is_enough(api_client, fake_openai, organization,
                                                                    refusing):
    Contact.objects.create(organization=organization, email="bob@initech.example", llm_consent=True)
    fake_openai.reply(PLAN)

    response = ask(api_client, "could you kick off a quick pipeline check for bob@initech.example and "
                               "jane.doe@globex.example")

    assert_refused_and_nothing_sent(response, fake_openai, "jane.doe@globex.example")


def test_another_organizations_contact_does_not_decide_for_ours(api_client, fake_openai):
    globex = Organization.objects.create(name="Globex", slug="globex")
    Contact.objects.create(organization=globex, email="jane.doe@globex.example", llm_consent=False)
    fake_openai.reply(PLAN)

    response = ask(api_client, "could you kick off a quick pipeline check about jane.doe@globex.example")

    assert response.status_code == 201, response.data
    assert Mission.objects.get().params["message"] == "jane.doe@globex.example"
    assert "jane.doe@globex.example" not in fake_openai.received_text()
