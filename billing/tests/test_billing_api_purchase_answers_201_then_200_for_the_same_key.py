"""POST /api/billing/purchases buys and charges (201, with items and the charge in the ledger); the same
idempotency key again answers 200 with that same purchase, charged once."""

import pytest

from billing.models import LedgerEntry
from domains.models import Domain

ORDER = {"domains": 2, "inboxes_per_domain": 3, "client": "acme", "idempotency_key": "order-2031-acme-1"}


@pytest.mark.django_db(transaction=True)
def test_purchase_then_repeat(api_client, user, recording_provider):
    first = api_client.post("/api/billing/purchases", ORDER, format="json")
    again = api_client.post("/api/billing/purchases", ORDER, format="json")

    assert first.status_code == 201, first.data
    assert again.status_code == 200, again.data
    body = first.json()
    assert again.json()["id"] == body["id"]
    assert body["status"] == "paid"
    assert body["organization"] == "acme"
    assert body["requested_by"] == "alice"
    assert body["total_cents"] == 5700
    assert body["total"] == "57.00 USD"
    assert [item["kind"] for item in body["items"]] == ["domain"] * 2 + ["inbox"] * 6
    assert [(e["kind"], e["amount_cents"]) for e in body["ledger_entries"]] == [("charge", -5700)]
    assert recording_provider.charges == [body["id"]]
    assert LedgerEntry.objects.count() == 1
    assert Domain.objects.filter(purchase_reference=body["id"]).count() == 2
