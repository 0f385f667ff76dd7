"""A purchase the provider declines is kept as failed with the provider's reason; nothing is charged, nothing is
created, and repeating it with the same key does not ask the provider again."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.services import purchase
from billing.tests.providers import DecliningProvider
from domains.models import Domain
from inboxes.models import Inbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_declined_purchase_fails_and_leaves_nothing_behind(organization, declining_provider, recording_provider):
    bought, created = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")

    assert created
    assert bought.status == Purchase.Status.FAILED
    assert DecliningProvider.REASON in bought.error
    assert bought.paid_at is None
    assert LedgerEntry.objects.count() == 0
    assert Domain.objects.count() == 0
    assert Inbox.objects.count() == 0

    again, again_created = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")

    assert (again.id, again_created, again.status) == (bought.id, False, Purchase.Status.FAILED)
    assert recording_provider.charges == [str(bought.id)]


def test_a_declined_purchase_frees_its_names_for_the_next_one(organization, declining_provider, settings):
    declined, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    settings.REX_PAYMENT_PROVIDER = "offline"

    bought, _ = purchase(organization, idempotency_key="order-0002", domains=1, client="acme")

    assert bought.status == Purchase.Status.PAID
    assert list(bought.items.filter(kind="domain").values_list("name", flat=True)) == list(
        declined.items.filter(kind="domain").values_list("name", flat=True)) == ["acme-mail1.example"]
