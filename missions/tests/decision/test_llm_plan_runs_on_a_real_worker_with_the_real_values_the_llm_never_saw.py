"""End to end, through the real HTTP API (daphne) and a real Celery worker: a free-text command full of personal
data is planned by an OpenAI-compatible server (a local fake that records what it received) that only ever saw
placeholders, and the mission it planned runs with the real values."""

import json

import pytest

from conftest import api_token_for, wait_for
from missions.tests.e2e_helpers import http_json

pytestmark = pytest.mark.e2e

EMAIL = "jane.doe@globex.example"
PHONE = "+44 20 7946 0958"
COMMAND = f"could you kick off a quick pipeline check that says call {PHONE} or write to {EMAIL}"


def test_the_planned_mission_runs_with_real_values_and_the_llm_saw_none(asgi_server_with_llm, start_worker,
                                                                        fake_openai, user):
    start_worker()
    token = api_token_for(user)
    fake_openai.reply(json.dumps({
        "intent": "canary", "missions": [{"type": "canary", "params": {"message": "call <PHONE_1> or write to <EMAIL_1>"}}],
        "confidence": 0.9, "explanation": "a pipeline check"}))

    status, body = http_json("POST", f"{asgi_server_with_llm}/api/rex/command", token=token, body={"command": COMMAND})

    assert status == 201, body
    assert body["decision"]["layer"] == "llm"

    def finished() -> dict | None:
        _, detail = http_json("GET", f"{asgi_server_with_llm}/api/missions/{body['id']}/", token=token)
        return detail if detail["status"] in ("succeeded", "failed") else None

    detail = wait_for(finished, 60, "the planned mission to finish")
    assert detail["status"] == "succeeded", detail
    assert detail["params"]["message"] == f"call {PHONE} or write to {EMAIL}"
    assert detail["result"]["echo"]["message"] == f"call {PHONE} or write to {EMAIL}"

    [sent] = fake_openai.received("/chat/completions")
    assert "<EMAIL_1>" in sent.body["messages"][-1]["content"]
    for value in (EMAIL, "7946", "0958"):
        assert value not in fake_openai.received_text(), f"{value!r} reached the LLM"
