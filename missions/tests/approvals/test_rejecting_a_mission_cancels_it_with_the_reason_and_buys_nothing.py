"""Reject (``POST /api/missions/<id>/reject/`` with a reason): the mission is cancelled, the reason is on it and
on its ``rejected`` event, nothing is reserved or bought, and it cannot be approved afterwards."""

import pytest

from agents.models import SpendReservation
from billing.models import Purchase
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import order_domains

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_rejected_mission_is_cancelled_with_the_reason_and_nothing_is_bought(api_client):
    mission_id = order_domains(api_client).data["id"]

    response = api_client.post(f"/api/missions/{mission_id}/reject/", {"reason": "globex is not a client"},
                               format="json")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "cancelled"
    assert response.data["error"] == {"message": "rejected: globex is not a client", "recoverable": False,
                                      "type": "Rejected"}
    rejected = [e for e in response.data["events"] if e["kind"] == "rejected"]
    assert [(e["to_status"], e["message"], e["data"]) for e in rejected] == [
        ("cancelled", "rejected by alice: globex is not a client", {"reason": "globex is not a client"})]
    assert Purchase.objects.count() == 0 and SpendReservation.objects.count() == 0
    assert api_client.post(f"/api/missions/{mission_id}/approve/").status_code == 409
    assert Mission.objects.get(pk=mission_id).status == MissionStatus.CANCELLED


def test_a_rejection_without_a_reason_is_a_400_and_changes_nothing(api_client):
    mission_id = order_domains(api_client).data["id"]

    response = api_client.post(f"/api/missions/{mission_id}/reject/", {"reason": ""}, format="json")

    assert response.status_code == 400
    assert "reason" in response.data
    assert Mission.objects.get(pk=mission_id).status == MissionStatus.AWAITING_APPROVAL
