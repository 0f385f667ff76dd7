"""Out of the box the approval threshold is 0: a command that buys domains is stored ``awaiting_approval`` with
its quote, is never sent to a worker, sets nothing aside and buys nothing."""

import pytest

from agents.models import SpendReservation
from billing.models import Purchase
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import TWO_DOMAINS_CENTS, order_domains
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_purchase_over_the_default_threshold_waits_for_approval_with_its_quote(api_client):
    with published_tasks() as published:
        response = order_domains(api_client)

    assert response.status_code == 201, response.data
    assert response.data["status"] == "awaiting_approval"
    assert response.data["estimated_cost_cents"] == TWO_DOMAINS_CENTS
    assert response.data["cost_quote"] == "2 domains + 6 inboxes, $57.00/month; no monthly budget set"
    mission = Mission.objects.get()
    assert mission.status == MissionStatus.AWAITING_APPROVAL
    [event] = mission.events.all()
    assert (event.kind, event.to_status) == ("awaiting_approval", "awaiting_approval")
    assert event.data["reason"] == "$57.00 is over the approval threshold of $0.00"
    assert published_mission_ids(published) == []
    assert Purchase.objects.count() == 0
    assert SpendReservation.objects.count() == 0


def test_the_api_lists_missions_awaiting_approval_by_that_status(api_client):
    order_domains(api_client)

    response = api_client.get("/api/missions/", {"status": "awaiting_approval"})

    assert response.status_code == 200
    assert [m["status"] for m in response.data["results"]] == ["awaiting_approval"]
