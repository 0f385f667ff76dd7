"""When the payment provider cannot be reached the purchase stays pending, charged nowhere; the same request
repeated later charges it then, once, and only then are its domains and inboxes created."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.services import purchase
from billing.tests.providers import PROVIDERS_MODULE
from domains.models import Domain

pytestmark = pytest.mark.django_db(transaction=True)


def test_unavailable_provider_leaves_purchase_pending_until_a_retry(organization, unavailable_provider,
                                                                    recording_provider, settings):
    bought, created = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    assert created
    assert bought.status == Purchase.Status.PENDING
    assert "unavailable" in bought.error
    assert LedgerEntry.objects.count() == 0
    assert Domain.objects.count() == 0

    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"
    retried, retried_created = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    assert (retried.id, retried_created, retried.status) == (bought.id, False, Purchase.Status.PAID)
    assert retried.error == ""
    assert recording_provider.charges == [str(bought.id), str(bought.id)]  # the failed attempt, then the charge
    assert LedgerEntry.objects.get().amount_cents == -(1500 + 3 * 450)
    assert Domain.objects.get().purchase_reference == str(bought.id)

    purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    assert len(recording_provider.charges) == 2
