"""Retrying a rejected (cancelled) mission that costs money does not slip past the approval: with nothing set
aside for it, it goes back to ``awaiting_approval`` with a fresh quote and is not dispatched; once within the
threshold, a retry queues it with its money reserved."""

import pytest

from agents import spending
from missions.tests.approvals.helpers import order_domains, set_budget
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_retried_rejected_mission_waits_for_approval_again(api_client, organization):
    mission_id = order_domains(api_client).data["id"]
    api_client.post(f"/api/missions/{mission_id}/reject/", {"reason": "not this month"}, format="json")
    set_budget(organization, monthly_budget_cents=100_00)

    with published_tasks() as published:
        retried = api_client.post(f"/api/missions/{mission_id}/retry/")

    assert retried.status_code == 200, retried.data
    assert retried.data["status"] == "awaiting_approval"
    assert retried.data["cost_quote"] == "2 domains + 6 inboxes, $57.00/month; budget left $100.00"
    assert retried.data["events"][-1]["kind"] == "awaiting_approval"
    assert published_mission_ids(published) == []
    assert spending.month_spend_cents(organization) == 0

    api_client.post(f"/api/missions/{mission_id}/reject/", {"reason": "still not"}, format="json")
    set_budget(organization, approval_threshold_cents=100_00)
    with published_tasks() as published:
        queued = api_client.post(f"/api/missions/{mission_id}/retry/")

    assert queued.data["status"] == "queued"
    assert published_mission_ids(published) == [mission_id]
    assert spending.month_spend_cents(organization) == 57_00
