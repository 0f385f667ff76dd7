"""When the payment provider cannot be reached the purchase answers 503 (with Retry-After) and stays pending;
repeating the request with the same key once the provider is back charges it."""

from billing.tests.providers import PROVIDERS_MODULE

ORDER = {"domains": 1, "client": "acme", "idempotency_key": "order-0001"}


def test_unavailable_then_retried(api_client, unavailable_provider, recording_provider, settings):
    response = api_client.post("/api/billing/purchases", ORDER, format="json")

    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert response.json()["purchase"]["status"] == "pending"
    assert "same idempotency_key" in response.json()["detail"]

    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"
    retried = api_client.post("/api/billing/purchases", ORDER, format="json")

    assert retried.status_code == 200
    assert retried.json()["status"] == "paid"
    assert retried.json()["id"] == response.json()["purchase"]["id"]
