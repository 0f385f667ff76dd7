"""POST /api/billing/purchases/<id>/cancel while the payment provider is down: the cancellation is committed and
its refund pending (503, Retry-After, status refunding); repeating the request completes the one refund."""

from billing.services import purchase
from billing.tests.providers import PROVIDERS_MODULE


def test_cancel_answers_503_then_200_refunding_once(api_client, organization, recording_provider, settings):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    url = f"/api/billing/purchases/{bought.id}/cancel"
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.UnavailableProvider"

    down = api_client.post(url, {"reason": "client churned"}, format="json")

    assert down.status_code == 503
    assert down["Retry-After"]
    assert down.json()["status"] == "refunding"
    assert api_client.get(f"/api/billing/purchases/{bought.id}").json()["status"] == "refunding"

    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"
    again = api_client.post(url, {"reason": "client churned"}, format="json")

    assert again.status_code == 200
    assert again.json()["status"] == "cancelled"
    assert recording_provider.refunds == [(str(bought.id), 2850)]
