"""Approve (``POST /api/missions/<id>/approve/``): the estimate is reserved and the mission queued in one
transaction, audited as an ``approved`` event; the worker then buys, and the charge turns the reservation into
committed spend of the month."""

import pytest

from agents import spending
from agents.models import SpendReservation
from billing.models import Purchase
from domains.dns_server import DatabaseZone, LocalDnsServer
from domains.tests.agent_mission_helpers import run_attempt
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import TWO_DOMAINS_CENTS, order_domains
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_approved_mission_is_queued_with_its_money_reserved_and_then_buys(api_client, organization, user,
                                                                             settings):
    mission_id = order_domains(api_client).data["id"]

    with published_tasks() as published:
        response = api_client.post(f"/api/missions/{mission_id}/approve/")

    assert response.status_code == 200, response.data
    assert response.data["status"] == "queued"
    approved = [e for e in response.data["events"] if e["kind"] == "approved"]
    assert [(e["from_status"], e["to_status"]) for e in approved] == [("awaiting_approval", "queued")]
    assert approved[0]["message"] == "approved by alice: 2 domains + 6 inboxes, $57.00/month; no monthly budget set"
    assert published_mission_ids(published) == [mission_id]
    [reserved] = SpendReservation.objects.all()
    assert (reserved.key, reserved.status, reserved.amount_cents) == (f"mission:{mission_id}", "reserved",
                                                                      TWO_DOMAINS_CENTS)
    assert Purchase.objects.count() == 0  # nothing bought until a worker runs it

    mission = Mission.objects.get(pk=mission_id)
    with LocalDnsServer("127.0.0.1", 0, DatabaseZone()) as dns:
        settings.REX_DNS_NAMESERVERS = [dns.nameserver]
        assert run_attempt(mission) == "succeeded", mission.error

    purchase = Purchase.objects.get(mission=mission)
    assert (purchase.status, purchase.total_cents) == (Purchase.Status.ACTIVE, TWO_DOMAINS_CENTS)
    reserved.refresh_from_db()
    assert (reserved.status, reserved.amount_cents) == ("committed", TWO_DOMAINS_CENTS)
    assert spending.month_spend_cents(organization) == TWO_DOMAINS_CENTS


def test_approving_a_mission_that_is_not_awaiting_approval_conflicts(api_client):
    canary = api_client.post("/api/rex/command", {"type": "canary", "params": {}}, format="json").data

    response = api_client.post(f"/api/missions/{canary['id']}/approve/")

    assert response.status_code == 409
    assert response.data["detail"] == "only a mission awaiting approval can be approved; this one is queued"
    assert Mission.objects.get(pk=canary["id"]).status == MissionStatus.QUEUED
