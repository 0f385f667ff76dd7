"""End to end, through the real HTTP API (daphne): a command naming a contact without LLM consent answers 400 with
the reason and the local fake LLM server receives nothing; the same command once the contact consents is sent,
pseudonymised, and planned."""

import json

import pytest

from campaigns.models import Contact
from conftest import api_token_for
from missions.models import CommandDecision
from missions.tests.e2e_helpers import http_json

pytestmark = pytest.mark.e2e

COMMAND = "could you kick off a quick pipeline check about jane.doe@globex.example"


def test_no_consent_no_request_then_consent_and_placeholders_only(asgi_server_with_llm, fake_openai, user,
                                                                  organization):
    contact = Contact.objects.create(organization=organization, email="jane.doe@globex.example", llm_consent=False)
    token = api_token_for(user)
    url = f"{asgi_server_with_llm}/api/rex/command"

    status, body = http_json("POST", url, token=token, body={"command": COMMAND})

    assert status == 400, body
    assert "contains data of a contact without LLM consent (jane.doe@globex.example)" in body["command"][0]
    assert fake_openai.received() == []
    assert CommandDecision.objects.get().outcome == "rejected"

    Contact.objects.filter(pk=contact.pk).update(llm_consent=True)
    fake_openai.reply(json.dumps({"intent": "canary", "missions": [{"type": "canary", "params": {"tag": "<EMAIL_1>"}}],
                                  "confidence": 0.9, "explanation": "a pipeline check"}))

    status, body = http_json("POST", url, token=token, body={"command": COMMAND})

    assert status == 201, body
    assert body["params"]["tag"] == "jane.doe@globex.example"
    assert len(fake_openai.received("/chat/completions")) == 1
    assert "jane.doe@globex.example" not in fake_openai.received_text()
