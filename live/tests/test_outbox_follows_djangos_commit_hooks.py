"""``live.outbox`` reads Django's private list of commit hooks (``connection.run_on_commit``) to tell whether the
transaction's outbox is still the current one. This pins that layout: a Django upgrade that changes it fails here,
not as frames silently lost in production."""

import pytest
from django.db import connection, transaction

from live import outbox

pytestmark = pytest.mark.django_db(transaction=True)


def test_djangos_commit_hooks_are_savepoint_ids_callable_and_robust_flag():
    def hook() -> None:
        pass

    with transaction.atomic():
        transaction.on_commit(hook, robust=True)
        [entry] = connection.run_on_commit
        assert len(entry) == 3
        savepoint_ids, func, robust = entry
        assert func is hook and robust is True and isinstance(savepoint_ids, set | list | tuple)
        transaction.set_rollback(True)


def test_one_transaction_has_one_outbox_and_one_hook():
    with transaction.atomic():
        first = outbox.current()
        assert outbox.current() is first
        assert [entry[1] for entry in connection.run_on_commit] == [first.flush]
        transaction.set_rollback(True)


def test_an_outbox_born_in_a_rolled_back_savepoint_is_replaced():
    with transaction.atomic():
        try:
            with transaction.atomic():
                lost = outbox.current()
                raise RuntimeError("roll the savepoint back")
        except RuntimeError:
            pass
        kept = outbox.current()
        assert kept is not lost
        assert [entry[1] for entry in connection.run_on_commit] == [kept.flush]
        transaction.set_rollback(True)


def test_outside_a_transaction_there_is_no_outbox():
    assert outbox.current() is None
