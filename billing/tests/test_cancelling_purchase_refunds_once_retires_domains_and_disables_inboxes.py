"""Cancelling a paid purchase refunds what was charged — once, however often it is asked — retires its domains
through the audited state machine (from whatever state they reached) and disables its inboxes."""

import pytest

from billing.models import LedgerEntry, Purchase
from billing.services import IllegalPurchaseTransition, balance, cancel, purchase
from domains.models import Domain, DomainState, DomainTransition
from inboxes.models import Inbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_cancel_refunds_once_and_takes_everything_out_of_service(organization, recording_provider):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")
    moved = Domain.objects.order_by("name").first()
    moved.transition(DomainState.DNS_PENDING, reason="DNS records published")

    assert cancel(bought, reason="client churned") is True
    assert cancel(bought, reason="asked twice") is False

    bought.refresh_from_db()
    assert bought.status == Purchase.Status.CANCELLED
    assert bought.cancelled_at is not None
    assert recording_provider.refunds == [(str(bought.id), 5700)]
    refund = LedgerEntry.objects.get(purchase=bought, kind=LedgerEntry.Kind.REFUND)
    assert refund.amount_cents == 5700
    assert "client churned" in refund.description
    assert balance(organization).balance_cents == 0

    assert set(Domain.objects.values_list("state", flat=True)) == {DomainState.RETIRED}
    retirements = DomainTransition.objects.filter(to_state=DomainState.RETIRED)
    assert {(t.from_state, t.reason) for t in retirements} == {(DomainState.PENDING, "purchase cancelled"),
                                                              (DomainState.DNS_PENDING, "purchase cancelled")}
    assert set(Inbox.objects.values_list("status", flat=True)) == {Inbox.Status.DISABLED}


def test_only_paid_or_active_purchases_can_be_cancelled(organization, unavailable_provider):
    pending, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    with pytest.raises(IllegalPurchaseTransition, match="is pending; only a paid or active purchase"):
        cancel(pending, reason="changed my mind")

    assert LedgerEntry.objects.count() == 0
