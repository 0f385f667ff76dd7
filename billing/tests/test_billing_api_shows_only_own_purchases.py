"""Purchases are per organization: the list is the caller's own, newest first and paginated, and another
organization's purchase does not exist for the caller (404 to read or cancel it)."""

import pytest

from billing.models import Purchase
from billing.services import purchase


@pytest.fixture
def ours(organization) -> list[Purchase]:
    return [purchase(organization, idempotency_key=f"order-{n:04d}", domains=1, client="acme")[0] for n in range(3)]


def test_list_is_own_newest_first_and_paginated(api_client, ours, other_organization_client):
    theirs = other_organization_client.post("/api/billing/purchases", {"domains": 1, "idempotency_key": "globex-01"},
                                             format="json")
    assert theirs.status_code == 201

    page = api_client.get("/api/billing/purchases").json()
    paid = api_client.get("/api/billing/purchases?status=paid&status=active").json()
    failed = api_client.get("/api/billing/purchases?status=failed").json()

    assert page["count"] == 3
    assert [p["id"] for p in page["results"]] == [str(p.id) for p in reversed(ours)]
    assert theirs.json()["id"] not in {p["id"] for p in page["results"]}
    assert paid["count"] == 3
    assert failed["count"] == 0
    assert api_client.get("/api/billing/purchases?status=bogus").status_code == 400


def test_detail_answers_own_purchase_and_404_for_others(api_client, ours, other_organization_client):
    mine = api_client.get(f"/api/billing/purchases/{ours[0].id}")

    assert mine.status_code == 200
    assert mine.json()["idempotency_key"] == "order-0000"
    assert other_organization_client.get(f"/api/billing/purchases/{ours[0].id}").status_code == 404
    cancel = other_organization_client.post(f"/api/billing/purchases/{ours[0].id}/cancel", {"reason": "x"},
                                            format="json")
    assert cancel.status_code == 404
    ours[0].refresh_from_db()
    assert ours[0].status == Purchase.Status.PAID
