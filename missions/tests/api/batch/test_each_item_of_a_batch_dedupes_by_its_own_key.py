"""Idempotency per item, as on the single command endpoint: a client's key dedupes forever, a derived key
(organization + type + params) within the dedupe window; the same command twice in one batch is one mission."""

from datetime import timedelta

import pytest
from django.utils import timezone

from missions.models import Mission, MissionStatus

pytestmark = pytest.mark.django_db


def post(api_client, *commands):
    return api_client.post("/api/rex/commands", {"commands": list(commands)}, format="json")


def test_an_item_with_a_key_seen_before_is_the_existing_mission(api_client):
    first = api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "x"},
                                                 "idempotency_key": "order-1042-x"}, format="json").json()

    response = post(api_client, {"type": "canary", "params": {"tag": "other"}, "idempotency_key": "order-1042-x"},
                    {"type": "canary", "params": {"tag": "new"}})

    assert response.status_code == 201
    answered = response.json()["missions"]
    assert (answered[0]["id"], answered[0]["created"]) == (first["id"], False)
    assert answered[1]["created"] is True
    assert Mission.objects.count() == 2


def test_an_explicit_key_dedupes_even_after_the_window(api_client):
    first = post(api_client, {"type": "canary", "idempotency_key": "order-1042-y"}).json()["missions"][0]
    Mission.objects.update(status=MissionStatus.SUCCEEDED, created_at=timezone.now() - timedelta(days=30))

    again = post(api_client, {"type": "canary", "idempotency_key": "order-1042-y"})

    assert again.status_code == 200
    assert again.json()["missions"][0] == {**first, "status": "succeeded", "created": False}


def test_an_identical_command_without_a_key_dedupes_only_within_the_window(api_client):
    first = post(api_client, {"type": "canary", "params": {"tag": "same"}}).json()["missions"][0]
    inside = post(api_client, {"type": "canary", "params": {"tag": "same"}})
    assert (inside.status_code, inside.json()["missions"][0]["id"]) == (200, first["id"])

    Mission.objects.update(status=MissionStatus.SUCCEEDED, created_at=timezone.now() - timedelta(days=1))
    after = post(api_client, {"type": "canary", "params": {"tag": "same"}})

    assert after.status_code == 201
    assert after.json()["missions"][0]["id"] != first["id"]
    assert after.json()["missions"][0]["idempotency_key"] == f"{first['idempotency_key']}/2"


def test_the_same_command_twice_in_one_batch_is_one_mission(api_client):
    response = post(api_client, {"type": "canary", "params": {"tag": "twice"}},
                    {"type": "canary", "params": {"tag": "twice"}},
                    {"type": "canary", "idempotency_key": "order-1042-z"},
                    {"type": "canary", "params": {"tag": "other"}, "idempotency_key": "order-1042-z"})

    answered = response.json()["missions"]
    assert [m["created"] for m in answered] == [True, False, True, False]
    assert answered[0]["id"] == answered[1]["id"] and answered[2]["id"] == answered[3]["id"]
    assert Mission.objects.count() == 2
