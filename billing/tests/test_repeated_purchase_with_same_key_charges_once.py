"""The same purchase asked for twice — one after the other, or by several requests at the same moment — is stored
once and charged once: the unique (organization, idempotency_key) constraint and the locked charge settle it."""

import threading

import pytest
from django.db import connection

from billing.models import LedgerEntry, Purchase
from billing.services import purchase
from domains.models import Domain
from inboxes.models import Inbox

BUYERS = 6


@pytest.mark.django_db(transaction=True)
def test_repeating_a_purchase_returns_it_without_charging_again(organization, recording_provider):
    first, first_created = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")
    again, again_created = purchase(organization, idempotency_key="order-0001", domains=2, client="acme")

    assert (first_created, again_created) == (True, False)
    assert again.id == first.id
    assert again.status == Purchase.Status.PAID
    assert recording_provider.charges == [str(first.id)]
    assert LedgerEntry.objects.count() == 1
    assert Domain.objects.count() == 2
    assert Inbox.objects.count() == 6


@pytest.mark.django_db(transaction=True)
def test_concurrent_identical_purchases_make_one_purchase_and_one_charge(organization, recording_provider):
    start = threading.Barrier(BUYERS, timeout=60)  # a stuck thread fails the test instead of hanging it
    results: list[tuple[Purchase, bool]] = []
    errors: list[BaseException] = []

    def buy() -> None:
        try:
            start.wait()
            results.append(purchase(organization, idempotency_key="order-race", domains=1, client="acme"))
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=buy) for _ in range(BUYERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(results) == BUYERS
    assert sum(created for _, created in results) == 1
    only = Purchase.objects.get()
    assert {bought.id for bought, _ in results} == {only.id}
    assert {bought.status for bought, _ in results} == {Purchase.Status.PAID}
    assert recording_provider.charges == [str(only.id)]
    assert LedgerEntry.objects.filter(purchase=only).count() == 1
    assert Domain.objects.count() == 1
