"""An approved mission holds its estimate as reserved spend of the month; cancelled before it bought anything, the
reservation is released in the same transaction and the budget is whole again."""

import pytest

from agents import spending
from agents.models import SpendReservation
from missions.tests.approvals.helpers import TWO_DOMAINS_CENTS, order_domains

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancelling_an_approved_mission_releases_its_reservation(api_client, organization):
    mission_id = order_domains(api_client).data["id"]
    assert api_client.post(f"/api/missions/{mission_id}/approve/").status_code == 200
    assert spending.month_spend_cents(organization) == TWO_DOMAINS_CENTS

    response = api_client.post(f"/api/missions/{mission_id}/cancel/")

    assert response.status_code == 200 and response.data["status"] == "cancelled"
    assert SpendReservation.objects.get(key=f"mission:{mission_id}").status == "released"
    assert spending.month_spend_cents(organization) == 0
