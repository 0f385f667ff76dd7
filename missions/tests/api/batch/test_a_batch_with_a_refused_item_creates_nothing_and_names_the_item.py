"""All or nothing: one item intake refuses answers 400 with the errors keyed by the item's index and field, no
mission of the batch is created (nor sent), and the refused batch is recorded as one rejected decision with the
same errors."""

import pytest

from agents.models import Agent
from missions.models import CommandDecision, Mission
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db


def test_params_an_agent_refuses_in_item_2_answer_400_under_its_index(api_client, django_capture_on_commit_callbacks):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/commands", {"commands": [
            {"type": "canary", "params": {"tag": "a"}},
            {"type": "canary", "params": {"tag": "b"}},
            {"type": "canary", "params": {"sleep_ms": -1}},
        ]}, format="json")

    assert response.status_code == 400
    assert list(response.json()) == ["commands"]
    assert list(response.json()["commands"]) == ["2"]
    assert "sleep_ms" in response.json()["commands"]["2"]["params"]
    assert not Mission.objects.exists()
    assert published == []
    rejected = CommandDecision.objects.get()
    assert (rejected.outcome, rejected.layer, len(rejected.payload["commands"])) == ("rejected", "structured", 3)
    assert rejected.error == response.json()


def test_every_refused_item_is_named_not_only_the_first(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "no_such_agent"}, {"type": "canary"}, {"type": "canary", "params": {"fail_times": 99}}]},
        format="json")

    assert response.status_code == 400
    assert set(response.json()["commands"]) == {"0", "2"}
    assert "unknown mission type" in response.json()["commands"]["0"]["type"][0]
    assert CommandDecision.objects.get().outcome == "rejected"
    assert not Mission.objects.exists()


def test_a_disabled_agent_in_one_item_refuses_the_batch(api_client):
    Agent.objects.update_or_create(name="canary", defaults={"enabled": False})

    response = api_client.post("/api/rex/commands", {"commands": [{"type": "canary"}]}, format="json")

    assert response.status_code == 400
    assert "disabled" in response.json()["commands"]["0"]["type"][0]
    assert not Mission.objects.exists()


def test_malformed_items_answer_400_keyed_by_index_and_field(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary"}, {"params": {}}, {"type": "canary", "params": [1]}, {"type": 7}]}, format="json")

    assert response.status_code == 400
    errors = response.json()["commands"]
    assert set(errors) == {"1", "2", "3"}
    assert "type" in errors["1"] and "params" in errors["2"] and "type" in errors["3"]
    assert not Mission.objects.exists()


def test_free_text_stays_on_the_single_command_endpoint(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [{"command": "run a canary"}]}, format="json")

    assert response.status_code == 400
    assert "/api/rex/command" in response.json()["commands"]["0"]["command"][0]


@pytest.mark.parametrize("body", [{}, {"commands": []}, {"commands": {"type": "canary"}},
                                  {"commands": [{"type": "canary"}] * 101}])
def test_a_batch_that_is_empty_too_large_or_not_a_list_is_refused_as_a_whole(api_client, body):
    response = api_client.post("/api/rex/commands", body, format="json")

    assert response.status_code == 400
    assert isinstance(response.json()["commands"], list)
    assert not Mission.objects.exists()


def test_unstorable_text_in_an_item_is_refused_with_its_path_and_recorded(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary"}, {"type": "canary", "params": {"tag": "a\u0000b"}}]}, format="json")

    assert response.status_code == 400
    assert list(response.json()["commands"]["1"]["params"]) == ["tag"]
    assert CommandDecision.objects.get().outcome == "rejected"
    assert not Mission.objects.exists()


def test_an_idempotency_key_header_is_refused_rather_than_ignored(api_client):
    response = api_client.post("/api/rex/commands", {"commands": [{"type": "canary"}]}, format="json",
                               HTTP_IDEMPOTENCY_KEY="order-1042-batch")

    assert response.status_code == 400
    assert "idempotency_key" in response.json()
    assert not Mission.objects.exists()
