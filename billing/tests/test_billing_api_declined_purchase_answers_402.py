"""A purchase the payment provider declines answers 402 with the provider's reason and the failed purchase; the
same key again answers the same, without asking the provider again."""

from billing.models import LedgerEntry
from billing.tests.providers import DecliningProvider

ORDER = {"domains": 1, "client": "acme", "idempotency_key": "order-0001"}


def test_declined_purchase_answers_402_with_the_reason(api_client, declining_provider, recording_provider):
    response = api_client.post("/api/billing/purchases", ORDER, format="json")
    again = api_client.post("/api/billing/purchases", ORDER, format="json")

    assert response.status_code == 402
    body = response.json()
    assert DecliningProvider.REASON in body["detail"]
    assert body["purchase"]["status"] == "failed"
    assert body["purchase"]["ledger_entries"] == []
    assert again.status_code == 402
    assert again.json()["purchase"]["id"] == body["purchase"]["id"]
    assert len(recording_provider.charges) == 1
    assert not LedgerEntry.objects.exists()
