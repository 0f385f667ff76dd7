"""A mission with no cost (a canary, sending, starting a campaign) is queued and dispatched as before, even with
the threshold at 0 and a monthly budget of 0: only spend is asked for."""

import pytest

from agents.models import SpendReservation
from missions.models import Mission
from missions.tests.approvals.helpers import set_budget
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_canary_is_queued_and_dispatched_without_approval(api_client, organization):
    set_budget(organization, approval_threshold_cents=0, monthly_budget_cents=0)

    with published_tasks() as published:
        response = api_client.post("/api/rex/command", {"type": "canary", "params": {}}, format="json")

    assert response.status_code == 201, response.data
    assert (response.data["status"], response.data["estimated_cost_cents"], response.data["cost_quote"]) == (
        "queued", None, "")
    assert published_mission_ids(published) == [str(Mission.objects.get().pk)]
    assert SpendReservation.objects.count() == 0
