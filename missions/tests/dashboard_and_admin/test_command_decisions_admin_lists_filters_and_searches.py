"""Ops see every recorded decision in the admin: filter by layer and outcome, search by text; never edit one."""

import pytest
from django.test import Client

from missions.models import CommandDecision


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client


def test_changelist_filters_by_layer_and_outcome_and_searches_text(admin_client, api_client, settings):
    settings.OPENAI_API_KEY = ""
    api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")
    api_client.post("/api/rex/command", {"command": "wram up 5 domains for acme"}, format="json")
    api_client.post("/api/rex/command", {"type": "canary", "params": {"tag": "x"}}, format="json")

    response = admin_client.get("/admin/missions/commanddecision/?q=wram&layer__exact=rules&outcome__exact=rejected")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1
    assert response.context["cl"].full_result_count == 3


def test_a_decision_opens_read_only(admin_client, api_client):
    api_client.post("/api/rex/command", {"command": "run a canary"}, format="json")
    decision = CommandDecision.objects.get()

    response = admin_client.get(f"/admin/missions/commanddecision/{decision.pk}/change/")

    assert response.status_code == 200
    assert b"run a canary" in response.content
    assert b'name="_save"' not in response.content
    assert admin_client.get("/admin/missions/commanddecision/add/").status_code == 403
