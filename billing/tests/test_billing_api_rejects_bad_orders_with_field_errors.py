"""Bad purchase requests answer 400 with an error per field, and nothing is stored or charged."""

import pytest

from billing.models import Purchase


@pytest.mark.parametrize("body, fields", [
    ({"domains": 1}, {"idempotency_key"}),
    ({"domains": 1, "idempotency_key": "short"}, {"idempotency_key"}),
    ({"domains": -1, "inboxes_per_domain": 11, "idempotency_key": "order-0001"}, {"domains", "inboxes_per_domain"}),
    ({"domains": "two", "idempotency_key": "order-0001"}, {"domains"}),
    ({"extra_inboxes": {"acme-mail1.example": "many"}, "idempotency_key": "order-0001"}, {"extra_inboxes"}),
    ({"extra_inboxes": {"globex-go1.example": 1}, "idempotency_key": "order-0001"}, {"extra_inboxes"}),
    ({"client": "!!!", "domains": 1, "idempotency_key": "order-0001"}, {"client"}),
    ({"idempotency_key": "order-0001"}, {"domains"}),
], ids=["no-key", "short-key", "out-of-range", "not-a-number", "bad-count", "foreign-domain", "bad-client",
        "nothing"])
def test_bad_order_answers_400_per_field(api_client, recording_provider, body, fields):
    response = api_client.post("/api/billing/purchases", body, format="json")

    assert response.status_code == 400
    assert set(response.json()) == fields
    assert not Purchase.objects.exists()
    assert recording_provider.charges == []
