"""A refund the provider could not make after the cancellation committed is kept pending (status refunding, the
error on the purchase, the refund entry and its key in the ledger) and is retried — by cancelling again or by the
admin's retry — with the same key, so the purchase is refunded once."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.providers import PaymentUnavailable
from billing.services import cancel, purchase
from billing.tests.providers import PROVIDERS_MODULE
from domains.models import Domain, DomainState

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancel_again_retries_the_pending_refund_with_its_key(organization, recording_provider, settings):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.UnavailableProvider"

    with pytest.raises(PaymentUnavailable):
        cancel(bought, reason="client churned")

    assert bought.status == Purchase.Status.REFUNDING
    assert "refund pending: the payment provider is unavailable" in bought.error
    entry = LedgerEntry.objects.get(purchase=bought, kind=LedgerEntry.Kind.REFUND)
    assert (entry.amount_cents, entry.idempotency_key, entry.provider_reference) == (
        2850, f"rex-refund-{bought.id}", "")
    # The cancellation itself is committed: what was bought is out of service already.
    assert set(Domain.objects.values_list("state", flat=True)) == {DomainState.RETIRED}

    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"
    assert cancel(bought, reason="asked again") is True

    assert bought.status == Purchase.Status.CANCELLED
    assert bought.error == ""
    assert recording_provider.refund_keys == [entry.idempotency_key, entry.idempotency_key]
    assert recording_provider.refunds == [(str(bought.id), 2850)]
    assert LedgerEntry.objects.filter(purchase=bought, kind=LedgerEntry.Kind.REFUND).count() == 1


def test_the_admin_retries_a_pending_refund(organization, recording_provider, settings, admin_client):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.UnavailableProvider"
    with pytest.raises(PaymentUnavailable):
        cancel(bought, reason="client churned")

    url = "/admin/billing/purchase/"
    still_down = admin_client.post(url, {"action": "retry_refund", "_selected_action": [str(bought.id)]}, follow=True)
    assert any("refund pending" in str(m) for m in still_down.context["messages"])

    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"
    response = admin_client.post(url, {"action": "retry_refund", "_selected_action": [str(bought.id)]}, follow=True)

    bought.refresh_from_db()
    assert bought.status == Purchase.Status.CANCELLED
    assert "1 purchase(s) refunded." in [str(m) for m in response.context["messages"]]
    assert recording_provider.refund_keys == [f"rex-refund-{bought.id}"] * 3
    assert recording_provider.refunds == [(str(bought.id), 2850)]
