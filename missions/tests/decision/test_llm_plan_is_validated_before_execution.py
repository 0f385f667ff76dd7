"""Layer 3: a text the rules cannot read goes to the LLM, whose plan is validated (schema, params per type, the
agent's own params check) before it runs; the missions of one plan are created in one transaction."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from agents import registry
from agents.models import AgentLog
from missions.models import CommandDecision, Mission
from missions.tests.publishing import published_mission_ids, published_tasks


def plan(*missions: dict, intent: str = "canary", confidence: float = 0.9, explanation: str = "a pipeline check") -> str:
    return json.dumps({"intent": intent, "missions": list(missions), "confidence": confidence,
                       "explanation": explanation})


def ask(client, text: str):
    return client.post("/api/rex/command", {"command": text}, format="json")


def test_a_valid_plan_runs_and_says_the_llm_decided(api_client, fake_openai, organization,
                                                    django_capture_on_commit_callbacks):
    fake_openai.reply(plan({"type": "canary", "params": {"tag": "nightly"}, "priority": "low"}),
                      prompt_tokens=420, completion_tokens=38)

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = ask(api_client, "could you kick off a quick pipeline check, tagged nightly")

    assert response.status_code == 201, response.data
    mission = Mission.objects.get()
    assert (mission.type, mission.params["tag"], mission.priority) == ("canary", "nightly", "low")
    assert response.data["decision"] == {
        "layer": "llm", "intent": "canary", "outcome": "accepted",
        "summary": "could you kick off a quick pipeline check, tagged nightly → canary(tag='nightly')",
    }
    assert published_mission_ids(published) == [str(mission.id)]
    [sent] = fake_openai.received("/chat/completions")
    contents = [m["content"] for m in sent.body["messages"]]
    assert contents[-1] == "could you kick off a quick pipeline check, tagged nightly"
    assert any("Known intents" in c and '"provision_domains"' in c for c in contents)
    log = AgentLog.objects.get(action="llm.plan")
    assert (log.agent, log.llm_prompt_tokens, log.llm_completion_tokens) == ("decision_engine", 420, 38)
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome) == ("llm", "accepted")
    assert list(decision.missions.all()) == [mission]


def test_params_the_agent_refuses_are_refused_in_the_plan_and_run_nothing(api_client, fake_openai):
    # The plan's schema is the agent's own params model: its ranges hold before anything is submitted.
    fake_openai.reply(plan({"type": "canary", "params": {"fail_times": 50}}))

    response = ask(api_client, "kick off a pipeline check that fails fifty times")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith("the LLM's plan for this command was invalid, so nothing was run: "), message
    assert "fail_times" in message and "less than or equal to 10" in message
    assert Mission.objects.count() == 0
    assert CommandDecision.objects.get().layer == "llm"


def test_a_plan_the_agent_refuses_on_submit_says_what_it_was_read_as(api_client, fake_openai):
    from agents.models import Agent

    Agent.objects.update_or_create(name="canary", defaults={"enabled": False})
    fake_openai.reply(plan({"type": "canary", "params": {"fail_times": 5}}))

    response = ask(api_client, "kick off a pipeline check that fails five times")

    assert response.status_code == 400, response.data
    [message] = response.data["command"]
    assert message.startswith("understood as: kick off a pipeline check that fails five times → canary(fail_times=5), "
                              "but ")
    assert "disabled" in message
    assert Mission.objects.count() == 0
    assert CommandDecision.objects.get().layer == "llm"


def test_several_missions_of_one_plan_are_created_together(api_client, fake_openai):
    fake_openai.reply(plan({"type": "canary", "params": {"tag": "eu"}}, {"type": "canary", "params": {"tag": "us"}}))

    response = ask(api_client, "check the pipeline in both regions, eu and us")

    assert response.status_code == 201, response.data
    tags = [m["params"]["tag"] for m in response.data["missions"]]
    assert tags == ["eu", "us"]
    assert response.data["id"] == response.data["missions"][0]["id"]
    assert all(m["created"] for m in response.data["missions"])
    assert CommandDecision.objects.get().missions.count() == 2


def test_one_refused_mission_of_a_plan_means_none_is_created(api_client, fake_openai):
    fake_openai.reply(plan({"type": "canary", "params": {"tag": "ok"}}, {"type": "canary", "params": {"fail_times": 99}}))

    response = ask(api_client, "check the pipeline twice, the second one failing a lot")

    assert response.status_code == 400
    assert Mission.objects.count() == 0, "the plan's missions share one transaction"
    assert CommandDecision.objects.get().outcome == "rejected"


@pytest.fixture
def without_meeting_agent(monkeypatch):
    monkeypatch.setattr(registry, "_agents", {k: v for k, v in registry._agents.items() if k != "book_meeting"})


def test_the_llm_never_sees_the_email_and_the_plan_gets_it_back(api_client, fake_openai, without_meeting_agent):
    start = timezone.now().date() + timedelta(days=7)
    fake_openai.reply(plan({"type": "book_meeting", "params": {"attendee": "<EMAIL_1>", "window_start": str(start),
                                                               "window_end": str(start + timedelta(days=2))}},
                           intent="book_meeting"))

    response = ask(api_client, "find a slot to talk with jane@acme.example in a week or so")

    assert "jane@acme.example" not in fake_openai.received_text()
    assert response.status_code == 400, "validated, then refused: no meeting agent on this server"
    [message] = response.data["command"]
    assert f"book_meeting(attendee='jane@acme.example', window_start='{start}'" in message
    assert "but no agent handles 'book_meeting' on this server yet, so nothing was queued" in message
    assert Mission.objects.count() == 0
