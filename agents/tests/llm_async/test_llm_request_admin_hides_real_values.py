"""Ops see asynchronous LLM requests in the admin, read-only, with what the model saw and said (placeholders) and
never the real values behind them (the reversal mapping, the restored answer)."""

import pytest
from django.test import Client

from agents import llm
from agents.models import LLMRequest
from missions.models import Mission

CONTACT = {"PERSON": ["Jane Doe"]}


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client


@pytest.fixture
def answered(fake_openai, organization) -> LLMRequest:
    mission = Mission.objects.create(organization=organization, type="canary", idempotency_key="admin-llm")
    fake_openai.supports_background = False  # answered at once: a completed request with an answer
    fake_openai.reply("Dear <PERSON_1>, see you at <EMAIL_1>.")
    request = llm.submit_async([{"role": "user", "content": "Invite Jane Doe (jane.doe@example.com)."}],
                               mission=mission, agent="inviter", known_values=CONTACT, consent=True)
    assert request.answer == "Dear Jane Doe, see you at jane.doe@example.com."
    return request


def test_changelist_and_detail_show_placeholders_only(admin_client, answered):
    changelist = admin_client.get("/admin/agents/llmrequest/?q=inviter&status__exact=completed")
    detail = admin_client.get(f"/admin/agents/llmrequest/{answered.pk}/change/")

    assert changelist.status_code == 200
    assert changelist.context["cl"].result_count == 1
    assert detail.status_code == 200
    page = detail.content.decode()
    assert "&lt;PERSON_1&gt;" in page  # the prompt and the answer as the model saw and wrote them
    for real in ("Jane", "jane.doe@example.com"):
        assert real not in page, f"{real!r} shown in the admin"
    assert "pseudonyms" not in page


def test_requests_cannot_be_added_changed_or_deleted(admin_client, answered):
    assert admin_client.get("/admin/agents/llmrequest/add/").status_code == 403
    assert admin_client.post(f"/admin/agents/llmrequest/{answered.pk}/delete/", {"post": "yes"}).status_code == 403
    assert LLMRequest.objects.filter(pk=answered.pk).exists()
