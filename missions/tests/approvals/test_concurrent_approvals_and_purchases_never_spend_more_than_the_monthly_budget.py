"""Approvals and purchases racing on real PostgreSQL, each in its own thread and connection: each one alone fits the
monthly budget, any two together would pass it. The budget row lock makes them wait for one another, so exactly
one sets its money aside and the month's committed + reserved spend never passes the budget."""

import threading

import pytest
from django.db import connection

from agents import spending
from agents.models import SpendReservation
from billing.models import Purchase
from billing.services import PurchaseRejected, purchase
from missions.models import Mission, MissionStatus
from missions.tests.approvals.helpers import TWO_DOMAINS_CENTS, order_domains, set_budget

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET_CENTS = 100_00  # one order of $57.00 fits, two do not


def race(contenders: list) -> list[str]:
    """Run every contender at the same moment, each in its own thread (its own database connection)."""
    start = threading.Barrier(len(contenders))
    outcomes: list[str] = []

    def run(contender) -> None:
        try:
            start.wait()
            outcomes.append(contender())
        except Exception as exc:  # noqa: BLE001 - reported in the assertion below, not lost in the thread
            outcomes.append(f"error: {exc!r}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(contender,)) for contender in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_racing_approvals_and_purchases_set_aside_at_most_the_budget(api_client, organization, user):
    assert connection.vendor == "postgresql"
    missions = [Mission.objects.get(pk=order_domains(api_client, key=f"race-mission-{n}").data["id"]) for n in range(4)]
    set_budget(organization, monthly_budget_cents=BUDGET_CENTS)

    def approve(mission: Mission):
        def contender() -> str:
            try:
                mission.approve(by=user)
            except spending.BudgetExceeded:
                return "refused"
            return "approved"
        return contender

    def buy(key: str):
        def contender() -> str:
            try:
                purchase(organization, idempotency_key=key, domains=2, client="acme")
            except PurchaseRejected as exc:
                assert list(exc.errors) == ["budget"], exc.errors
                return "refused"
            return "bought"
        return contender

    outcomes = race([approve(m) for m in missions] + [buy("race-order-1"), buy("race-order-2")])

    assert len(outcomes) == 6 and not [o for o in outcomes if o.startswith("error")], outcomes
    assert sorted(outcomes).count("refused") == 5, outcomes
    assert spending.month_spend_cents(organization) == TWO_DOMAINS_CENTS <= BUDGET_CENTS
    held = SpendReservation.objects.filter(status__in=["reserved", "committed"])
    assert held.count() == 1
    statuses = sorted(Mission.objects.filter(pk__in=[m.pk for m in missions]).values_list("status", flat=True))
    if "approved" in outcomes:
        assert statuses == [MissionStatus.AWAITING_APPROVAL] * 3 + [MissionStatus.QUEUED]
        assert Purchase.objects.count() == 0
    else:
        assert statuses == [MissionStatus.AWAITING_APPROVAL] * 4
        assert Purchase.objects.get().status == Purchase.Status.PAID
