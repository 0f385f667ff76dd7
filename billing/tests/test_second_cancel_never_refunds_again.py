"""Cancelling again never refunds again: a cancelled purchase is left as it is, and a refund whose answer was lost
(the provider refunded, recording its answer failed) is asked again with the same stored key, which the provider
answers with its first refund."""

import pytest
from django.db import OperationalError

from billing.models import LedgerEntry, Purchase
from billing.providers import OfflineProvider
from billing.services import cancel, purchase


def test_cancelling_a_cancelled_purchase_asks_the_provider_nothing(organization, recording_provider):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    assert cancel(bought, reason="client churned") is True
    assert cancel(bought, reason="asked twice") is False
    assert cancel(bought, reason="asked three times") is False

    assert recording_provider.refunds == [(str(bought.id), 2850)]
    assert LedgerEntry.objects.filter(purchase=bought, kind=LedgerEntry.Kind.REFUND).count() == 1


def test_a_refund_whose_answer_was_lost_is_asked_again_with_the_same_key(organization, recording_provider,
                                                                         monkeypatch):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    def crash(self, reference):
        raise OperationalError("server closed the connection unexpectedly")

    with monkeypatch.context() as patch:
        patch.setattr(Purchase, "mark_refunded", crash)
        with pytest.raises(OperationalError):
            cancel(bought, reason="client churned")
    assert bought.status == Purchase.Status.REFUNDING

    assert cancel(bought, reason="asked again") is True

    assert bought.status == Purchase.Status.CANCELLED
    key = LedgerEntry.objects.get(purchase=bought, kind=LedgerEntry.Kind.REFUND).idempotency_key
    assert recording_provider.refund_keys == [key, key]
    assert [r for r in OfflineProvider.refunds_by_key.values() if r.purchase_id == str(bought.id)] == [
        OfflineProvider.refunds_by_key[key]]
    assert LedgerEntry.objects.get(purchase=bought, kind=LedgerEntry.Kind.REFUND).provider_reference == (
        f"offline-refund-{bought.id}")
