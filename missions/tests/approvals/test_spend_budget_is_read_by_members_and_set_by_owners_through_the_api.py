"""``/api/spend/budget``: every member reads the organization's budget, threshold, token budgets and this month's
spend; an owner sets them (PATCH or PUT); bad values are 400 with field errors; a plain member gets 403."""

import pytest
from rest_framework.test import APIClient

from agents import spending
from conftest import api_token_for
from tenants.models import Membership

pytestmark = pytest.mark.django_db


def test_an_owner_reads_and_sets_the_budget(api_client, organization):
    spending.commit(organization, key="earlier-order", cents=12_00)

    fresh = api_client.get("/api/spend/budget")
    assert fresh.status_code == 200
    assert fresh.data == {"monthly_budget_cents": None, "approval_threshold_cents": 0, "llm_tokens_per_mission": 0,
                          "llm_tokens_per_day": 0, "currency": "USD", "month_spend_cents": 12_00,
                          "budget_left_cents": None}

    changed = api_client.patch("/api/spend/budget", {"monthly_budget_cents": 500_00, "approval_threshold_cents": 50_00},
                               format="json")

    assert changed.status_code == 200, changed.data
    assert (changed.data["monthly_budget_cents"], changed.data["approval_threshold_cents"],
            changed.data["budget_left_cents"]) == (500_00, 50_00, 488_00)
    assert spending.budget_of(organization).approval_threshold_cents == 50_00


@pytest.mark.parametrize("body", [{"monthly_budget_cents": -1}, {"approval_threshold_cents": "10"},
                                  {"llm_tokens_per_day": 1.5}])
def test_bad_budget_values_are_field_errors(api_client, body):
    response = api_client.patch("/api/spend/budget", body, format="json")

    assert response.status_code == 400
    assert list(response.data) == list(body)


def test_a_member_who_is_not_an_owner_cannot_set_the_budget(organization, django_user_model):
    member = django_user_model.objects.create_user("bob", "bob@acme.example", "another horse battery")
    Membership.objects.create(user=member, organization=organization, role=Membership.Role.MEMBER)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(member)}")

    assert client.get("/api/spend/budget").status_code == 200
    refused = client.patch("/api/spend/budget", {"approval_threshold_cents": 10**9}, format="json")

    assert refused.status_code == 403
    assert spending.budget_of(organization).approval_threshold_cents == 0


def test_a_token_budget_larger_than_the_column_holds_is_a_field_error_not_a_500(api_client):
    response = api_client.put("/api/spend/budget", {"llm_tokens_per_day": 10**10}, format="json")

    assert response.status_code == 400
    assert list(response.data) == ["llm_tokens_per_day"]
