"""A purchase sets its total aside before the provider is asked; a charge makes it committed spend of the month, a
declined charge or a refund gives it back (released), and a purchase the budget cannot hold is refused with a
``budget`` field error before anything is stored or charged."""

import pytest

from agents import spending
from agents.models import SpendBudget, SpendReservation
from billing.models import Purchase
from billing.services import PurchaseRejected, cancel, purchase

pytestmark = pytest.mark.django_db(transaction=True)


def reservation(key: str) -> tuple[str, int]:
    row = SpendReservation.objects.get(key=key)
    return row.status, row.amount_cents


def test_a_declined_purchase_releases_what_it_set_aside(organization, declining_provider):
    bought, _ = purchase(organization, idempotency_key="order-declined", domains=2, client="acme")

    assert bought.status == Purchase.Status.FAILED
    assert reservation("order-declined") == ("released", 5700)
    assert spending.month_spend_cents(organization) == 0


def test_a_charged_purchase_is_committed_and_its_refund_releases_it(organization):
    bought, _ = purchase(organization, idempotency_key="order-refunded", domains=2, client="acme")
    assert reservation("order-refunded") == ("committed", 5700)
    assert spending.month_spend_cents(organization) == 5700

    cancel(bought, reason="client churned")

    assert reservation("order-refunded") == ("released", 5700)
    assert spending.month_spend_cents(organization) == 0


def test_a_purchase_past_the_monthly_budget_is_refused_before_anything_is_stored(organization):
    SpendBudget.objects.create(organization=organization, monthly_budget_cents=5000)

    with pytest.raises(PurchaseRejected) as refused:
        purchase(organization, idempotency_key="order-too-big", domains=2, client="acme")

    assert refused.value.errors == {"budget": ["$57.00 would pass the monthly budget of $50.00: budget left $50.00"]}
    assert Purchase.objects.count() == 0 and SpendReservation.objects.count() == 0
