"""Another module (triage) acts on new messages through ``register_new_message_handler``: it is called after the
batch's transaction commits, with the ids that batch stored, and a failing handler neither loses the messages nor
stops the other handlers."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from replies.imap import poll_inbox, register_new_message_handler, unregister_new_message_handler
from replies.models import InboundMessage
from replies.tests.imap.mail import reply


@pytest.fixture
def calls() -> Iterator[list[list[int]]]:
    seen: list[list[int]] = []

    def broken(ids: list[int]) -> None:
        raise RuntimeError("triage is down")

    def record(ids: list[int]) -> None:
        # Called after commit: the rows are there to be read.
        assert InboundMessage.objects.filter(pk__in=ids).count() == len(ids)
        seen.append(ids)

    register_new_message_handler(broken)
    register_new_message_handler(record)
    yield seen
    unregister_new_message_handler(broken)
    unregister_new_message_handler(record)


def test_new_message_handlers_get_the_ids_after_commit(make_imap_inbox, dovecot, settings, calls,
                                                         django_capture_on_commit_callbacks):
    settings.REX_IMAP_BATCH_SIZE = 2
    inbox = make_imap_inbox()
    for n in range(3):
        dovecot.append(inbox.imap_username, reply(to=inbox.address, body="Yes", message_id=f"<h{n}@c.example>"))

    with django_capture_on_commit_callbacks(execute=True):
        report = poll_inbox(inbox)
        assert calls == []   # nothing before the commit

    assert len(calls) == 2  # one call per committed batch
    assert calls == [report.new_message_ids[:2], report.new_message_ids[2:]]
    assert InboundMessage.objects.filter(inbox=inbox).count() == 3
