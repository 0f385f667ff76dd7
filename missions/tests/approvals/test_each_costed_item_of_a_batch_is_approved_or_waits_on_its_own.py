"""Spend at batch intake follows the single command's rules item by item (``agents.spending``): an item within the
threshold and the month's budget is reserved and queued, one over it waits for approval with its quote, and the
items before it in the batch count against the budget."""

import pytest

from agents.models import SpendReservation
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import TWO_DOMAINS, TWO_DOMAINS_CENTS, set_budget
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db


def test_the_second_order_that_would_pass_the_budget_waits_and_only_the_first_is_sent(
        api_client, organization, django_capture_on_commit_callbacks):
    set_budget(organization, approval_threshold_cents=TWO_DOMAINS_CENTS, monthly_budget_cents=TWO_DOMAINS_CENTS + 100)
    commands = [{**TWO_DOMAINS, "idempotency_key": "order-domains-1"},
                {**TWO_DOMAINS, "idempotency_key": "order-domains-2"},
                {"type": "canary"}]

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        response = api_client.post("/api/rex/commands", {"commands": commands}, format="json")

    assert response.status_code == 201, response.content
    first, second, canary = (Mission.objects.get(pk=m["id"]) for m in response.json()["missions"])
    assert (first.status, second.status, canary.status) == (
        MissionStatus.QUEUED, MissionStatus.AWAITING_APPROVAL, MissionStatus.QUEUED)
    assert "budget left" in second.cost_quote
    assert list(second.events.values_list("kind", flat=True)) == ["awaiting_approval"]
    assert list(SpendReservation.objects.values_list("amount_cents", flat=True)) == [TWO_DOMAINS_CENTS]
    assert sorted(published_mission_ids(published)) == sorted([str(first.pk), str(canary.pk)])
