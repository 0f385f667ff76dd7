"""``live.publish``: frames, after-commit calls and batches leave only when the transaction commits, in that
order, and never for a transaction that rolls back; outside a transaction they leave at once."""

import pytest
from django.db import transaction

from live import broadcast, outbox
from live.publish import add_to_batch, after_commit, publish

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def sent(monkeypatch):
    seen: list[tuple] = []
    monkeypatch.setattr(broadcast, "send_frames", lambda group, frames: seen.append(("frames", group, frames)))
    monkeypatch.setitem(outbox._batch_senders.entries, "test.batch", lambda key, items: seen.append(("batch", key, items)))
    return seen


def test_work_of_a_committed_transaction_leaves_after_commit_frames_first(sent):
    with transaction.atomic():
        after_commit(lambda: sent.append(("call", "refund")))
        add_to_batch("test.batch", "high", "m1")
        publish(7, "missions", {"type": "mission.event", "n": 1})
        add_to_batch("test.batch", "high", "m2")
        publish(7, "missions", {"type": "mission.event", "n": 2})
        assert sent == []

    assert sent == [
        ("frames", "rex.org.7.live", [{"type": "mission.event", "n": 1, "stream": "missions"},
                                      {"type": "mission.event", "n": 2, "stream": "missions"}]),
        ("batch", "high", ["m1", "m2"]),
        ("call", "refund"),
    ]


def test_nothing_leaves_for_a_rolled_back_transaction(sent):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(7, "missions", {"type": "mission.event"})
        after_commit(lambda: sent.append(("call", "refund")))
        raise RuntimeError("rolled back")

    assert sent == []


def test_outside_a_transaction_work_leaves_at_once(sent):
    publish(7, "domains", {"type": "domain.event"})
    after_commit(lambda: sent.append(("call", "now")))

    assert sent == [("frames", "rex.org.7.live", [{"type": "domain.event", "stream": "domains"}]), ("call", "now")]


def test_a_failing_call_does_not_cost_the_others_their_turn(sent):
    def broken() -> None:
        raise ValueError("provider down")

    with transaction.atomic():
        after_commit(broken)
        after_commit(lambda: sent.append(("call", "still runs")))

    assert sent == [("call", "still runs")]


def test_publishing_to_an_undeclared_stream_is_refused():
    with pytest.raises(ValueError, match="no live stream named 'mission'"):
        publish(7, "mission", {"type": "mission.event"})
