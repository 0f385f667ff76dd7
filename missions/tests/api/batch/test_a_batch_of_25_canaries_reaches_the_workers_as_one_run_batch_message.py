"""The missions of a batch commit together and go to the workers through the outbox in chunks of
``REX_DISPATCH_BATCH_SIZE``: 25 canaries are one ``run_batch`` message, not 25 ``run_mission`` ones."""

import pytest

from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db


def test_25_canaries_are_one_run_batch_message_with_every_mission_in_order(api_client, settings,
                                                                           django_capture_on_commit_callbacks):
    settings.REX_DISPATCH_BATCH_SIZE = 25
    commands = [{"type": "canary", "params": {"tag": f"n{i}"}} for i in range(25)]

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/commands", {"commands": commands}, format="json")

    assert response.status_code == 201, response.content
    assert [task.task for task in published] == ["missions.run_batch"]
    assert list(published[0].args[0]) == [m["id"] for m in response.json()["missions"]]


def test_duplicates_in_a_batch_are_not_sent_again(api_client, django_capture_on_commit_callbacks):
    api_client.post("/api/rex/commands", {"commands": [{"type": "canary", "idempotency_key": "order-1042-a"}]},
                    format="json")

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/commands", {"commands": [
            {"type": "canary", "idempotency_key": "order-1042-a"}, {"type": "canary", "params": {"tag": "b"}}]},
            format="json")

    new = response.json()["missions"][1]["id"]
    assert [(task.task, task.args) for task in published] == [("missions.run_mission", (new,))]
