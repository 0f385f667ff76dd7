"""An idempotency key stands for one order. Reused for a different order it is refused with a field error on
``idempotency_key`` (HTTP 400), nothing is bought or charged; the same order written differently (defaults
spelled out, a domain name in capitals) is still the same order."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.services import PurchaseRejected, purchase
from domains.models import Domain

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_different_order_under_a_used_key_is_refused_and_buys_nothing(organization, recording_provider):
    first, _ = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")

    with pytest.raises(PurchaseRejected) as refused:
        purchase(organization, idempotency_key="order-0001", domains=5, client="acme")

    message = refused.value.errors["idempotency_key"][0]
    assert "already used for a different order" in message and str(first.id) in message
    assert Purchase.objects.count() == 1
    assert recording_provider.charges == [str(first.id)]
    assert LedgerEntry.objects.count() == 1
    assert Domain.objects.count() == 2


def test_the_same_order_written_another_way_is_the_same_purchase(organization, recording_provider, settings):
    first, _ = purchase(organization, idempotency_key="order-0002", domains=1, client="")
    again, created = purchase(organization, idempotency_key="order-0002", domains=1, client=" acme ",
                              inboxes_per_domain=settings.REX_INBOXES_PER_DOMAIN)

    assert (again.id, created) == (first.id, False)
    assert first.order == {"domains": 1, "inboxes_per_domain": settings.REX_INBOXES_PER_DOMAIN, "client": "acme",
                           "extra_inboxes": {}}


def test_the_api_answers_400_with_the_field_error(api_client, recording_provider):
    order = {"domains": 1, "client": "acme", "idempotency_key": "order-0003"}
    assert api_client.post("/api/billing/purchases", order, format="json").status_code == 201

    response = api_client.post("/api/billing/purchases", {**order, "domains": 3}, format="json")

    assert response.status_code == 400
    assert "already used for a different order" in response.json()["idempotency_key"][0]
    assert Purchase.objects.count() == 1
