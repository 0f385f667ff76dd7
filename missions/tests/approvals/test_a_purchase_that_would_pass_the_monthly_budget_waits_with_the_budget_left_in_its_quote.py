"""With an approval threshold high enough, a purchase still waits when it would pass what is left of the monthly
budget, and its quote says how much is left ("…; budget left $40.00"). Approving it then is refused (409) while
the budget does not allow it, and the refusal is on the mission's timeline."""

import pytest

from agents import spending
from agents.models import SpendReservation
from billing.models import Purchase
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import order_domains, set_budget

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_purchase_past_the_budget_waits_with_the_budget_left_and_cannot_be_approved(api_client, organization):
    set_budget(organization, approval_threshold_cents=100_00, monthly_budget_cents=60_00)
    spending.commit(organization, key="earlier-order", cents=20_00)  # spent earlier this month: $40.00 left

    response = order_domains(api_client)

    assert response.status_code == 201, response.data
    assert response.data["status"] == "awaiting_approval"
    assert response.data["cost_quote"] == "2 domains + 6 inboxes, $57.00/month; budget left $40.00"
    mission = Mission.objects.get(pk=response.data["id"])
    assert mission.events.get().data["reason"] == "$57.00 would pass the monthly budget ($40.00 left)"

    refused = api_client.post(f"/api/missions/{mission.pk}/approve/")

    assert refused.status_code == 409
    assert refused.data["detail"] == "$57.00 would pass the monthly budget of $60.00: budget left $40.00"
    assert refused.data["budget_left_cents"] == 40_00
    mission.refresh_from_db()
    assert mission.status == MissionStatus.AWAITING_APPROVAL
    assert [e.kind for e in mission.events.order_by("seq")] == ["awaiting_approval", "approval_refused"]
    assert Purchase.objects.count() == 0
    assert not SpendReservation.objects.filter(key=f"mission:{mission.pk}").exists()


def test_the_same_purchase_within_the_budget_and_threshold_is_queued_with_its_money_reserved(api_client,
                                                                                            organization):
    set_budget(organization, approval_threshold_cents=100_00, monthly_budget_cents=60_00)

    response = order_domains(api_client)

    assert response.data["status"] == "queued"
    assert response.data["cost_quote"] == "2 domains + 6 inboxes, $57.00/month; budget left $60.00"
    assert spending.month_spend_cents(organization) == 57_00
