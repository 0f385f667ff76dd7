"""POST /api/billing/purchases/<id>/cancel refunds a paid purchase (200, refund in the ledger), answers the same
again without refunding twice, wants a reason (400) and refuses a purchase that was never charged (409)."""

from billing.services import purchase


def test_cancel_refunds_once(api_client, organization, recording_provider):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    url = f"/api/billing/purchases/{bought.id}/cancel"

    assert api_client.post(url, {}, format="json").status_code == 400
    first = api_client.post(url, {"reason": "client churned"}, format="json")
    again = api_client.post(url, {"reason": "client churned"}, format="json")

    assert first.status_code == 200, first.data
    assert again.status_code == 200
    body = first.json()
    assert body["status"] == "cancelled"
    assert sorted((e["kind"], e["amount_cents"]) for e in body["ledger_entries"]) == [("charge", -2850),
                                                                                       ("refund", 2850)]
    assert again.json()["ledger_entries"] == body["ledger_entries"]
    assert recording_provider.refunds == [(str(bought.id), 2850)]


def test_cancelling_a_failed_purchase_conflicts(api_client, organization, declining_provider):
    failed, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    response = api_client.post(f"/api/billing/purchases/{failed.id}/cancel", {"reason": "x"}, format="json")

    assert response.status_code == 409
    assert response.json()["status"] == "failed"
    assert "only a paid or active purchase can be cancelled" in response.json()["detail"]
