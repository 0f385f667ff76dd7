"""Other apps learn of a purchase's completion, activation and cancellation from billing's signals, each sent once
and only after the change committed (never for a change that was rolled back)."""

from collections.abc import Iterator

import pytest
from django.db import transaction

from billing.models import Purchase
from billing.services import activate, cancel, purchase
from billing.signals import purchase_activated, purchase_cancelled, purchase_completed


@pytest.fixture
def heard() -> Iterator[list[tuple[str, str, str]]]:
    """(signal, purchase id, status as the receiver saw it) for every hook sent while the test runs."""
    received: list[tuple[str, str, str]] = []
    signals = {"completed": purchase_completed, "activated": purchase_activated, "cancelled": purchase_cancelled}
    listeners = {}
    for name, signal in signals.items():
        def listener(sender, purchase, _name=name, **kwargs):
            assert sender is Purchase
            received.append((_name, str(purchase.id), purchase.status))

        listeners[name] = listener
        signal.connect(listener, sender=Purchase, dispatch_uid=f"test-{name}")
    yield received
    for name, signal in signals.items():
        signal.disconnect(sender=Purchase, dispatch_uid=f"test-{name}")


def test_each_hook_fires_once_after_its_commit(organization, heard, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as completion:
        bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    assert heard == []  # not committed yet
    for callback in completion:
        callback()
    assert heard == [("completed", str(bought.id), "paid")]

    with django_capture_on_commit_callbacks() as activation:
        assert activate(bought) is True
        assert activate(bought) is False  # already active: no second announcement
    assert len(activation) == 1
    activation[0]()
    assert heard[-1] == ("activated", str(bought.id), "active")

    with django_capture_on_commit_callbacks(execute=True):
        cancel(bought, reason="test")
        cancel(bought, reason="test again")
    assert heard[-1] == ("cancelled", str(bought.id), "cancelled")
    assert [name for name, _, _ in heard] == ["completed", "activated", "cancelled"]


def test_a_purchase_rolled_back_is_never_announced(organization, heard, django_capture_on_commit_callbacks):
    class Abandon(Exception):
        pass

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(Abandon), transaction.atomic():
            purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
            raise Abandon

    assert callbacks == []
    assert heard == []
    assert not Purchase.objects.exists()


def test_a_failing_receiver_does_not_stop_the_others(organization, heard, django_capture_on_commit_callbacks):
    def broken(sender, purchase, **kwargs):
        raise RuntimeError("receiver bug")

    purchase_completed.connect(broken, sender=Purchase, dispatch_uid="test-broken")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")
    finally:
        purchase_completed.disconnect(sender=Purchase, dispatch_uid="test-broken")

    assert bought.status == Purchase.Status.PAID
    assert heard == [("completed", str(bought.id), "paid")]
    assert bought.items.filter(kind="domain").count() == 1
