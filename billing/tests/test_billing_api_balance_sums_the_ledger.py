"""GET /api/billing/balance sums the caller's ledger: charges and refunds as positive amounts, the balance signed."""

from billing.models import LedgerEntry
from billing.services import cancel, purchase


def test_balance_after_two_purchases_one_cancelled_and_a_credit(api_client, organization,
                                                                 other_organization_client):
    first, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    purchase(organization, idempotency_key="order-0002", domains=2, client="acme")
    cancel(first, reason="test")
    LedgerEntry.objects.create(organization=organization, kind=LedgerEntry.Kind.CREDIT, amount_cents=1000,
                               description="goodwill")

    body = api_client.get("/api/billing/balance").json()

    assert body == {"balance_cents": -5700 + 1000, "currency": "USD", "charges_cents": 2850 + 5700,
                    "refunds_cents": 2850, "credits_cents": 1000}
    assert other_organization_client.get("/api/billing/balance").json()["balance_cents"] == 0
