"""A command whose text PostgreSQL cannot store (a NUL, a lone surrogate) is refused with 400 naming the field,
and the refusal is recorded like any other, with the offending characters spelled out as text."""

import pytest
from rest_framework.test import APIClient

from missions.models import CommandDecision, Mission

BAD_COMMANDS = {
    "NUL in a param": (b'{"type": "canary", "params": {"tag": "a\\u0000b"}}',
                       {"params": {"tag": ["contains a NUL character"]}},
                       {"type": "canary", "params": {"tag": "a\\u0000b"}}),
    "lone surrogate in a param": (b'{"type": "canary", "params": {"tag": "\\ud800"}}',
                                  {"params": {"tag": ["contains an unpaired surrogate"]}},
                                  {"type": "canary", "params": {"tag": "\\ud800"}}),
    "NUL in free text": (b'{"command": "warm up 2 domains for a\\u0000cme"}',
                         {"command": ["contains a NUL character"]}, {"command": "warm up 2 domains for a\\u0000cme"}),
}


@pytest.mark.parametrize("body, errors, recorded", BAD_COMMANDS.values(), ids=BAD_COMMANDS.keys())
def test_unstorable_text_is_refused_with_the_field_and_recorded(api_client, body, errors, recorded):
    response = api_client.post("/api/rex/command", data=body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == errors
    assert not Mission.objects.exists()
    decision = CommandDecision.objects.get()
    assert decision.outcome == "rejected"
    assert decision.payload == recorded
    assert decision.error == errors
    assert decision.text == recorded.get("command", "")


def test_other_json_endpoints_refuse_a_nul_with_400_too(db):
    response = APIClient().post("/api/auth/token/", data=b'{"username": "al\\u0000ice", "password": "x"}',
                                content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"username": ["contains a NUL character"]}
