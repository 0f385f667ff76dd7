"""Beat's "poll-inboxes" job (on rex.control) only lists the inboxes with an IMAP host and queues one
``replies.poll_inbox`` each on missions.low; that task then reads its inbox. Only the broker is replaced
(``send_task`` records what would be queued); the poll itself runs against the real Dovecot."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.cache import cache

from replies import tasks
from replies.imap import poll_lock_key
from replies.models import InboundMessage
from replies.tests.imap.mail import ENGLISH_REPLY, reply


def test_the_beat_job_fans_out_one_poll_per_inbox_on_the_low_queue(make_imap_inbox, make_inbox, dovecot,
                                                                      monkeypatch):
    queued: list[tuple[str, list[Any], dict[str, Any]]] = []
    monkeypatch.setattr(tasks.celery_app, "send_task",
                        lambda name, args=None, **options: queued.append((name, args, options)))
    first, second = make_imap_inbox(), make_imap_inbox(imap_password="wrong")
    make_inbox()   # no IMAP host: nothing to poll
    dovecot.append(first.imap_username, reply(to=first.address, body=ENGLISH_REPLY))

    assert tasks.poll_inboxes() == 2

    assert [(name, args, options["queue"]) for name, args, options in queued] == [
        ("replies.poll_inbox", [first.pk], "missions.low"), ("replies.poll_inbox", [second.pk], "missions.low")]
    entry = settings.CELERY_BEAT_SCHEDULE["poll-inboxes"]
    assert (entry["task"], entry["options"]["queue"]) == ("replies.poll_inboxes", "rex.control")
    results = [tasks.poll_inbox_task(args[0]) for _, args, _ in queued]
    assert (results[0]["stored"], results[0]["error"]) == (1, "")
    assert results[1]["error"].startswith("authentication refused")
    assert InboundMessage.objects.filter(inbox=first).count() == 1


def test_a_poll_of_an_inbox_already_being_polled_returns_at_once(make_imap_inbox, dovecot):
    inbox = make_imap_inbox()
    dovecot.append(inbox.imap_username, reply(to=inbox.address, body=ENGLISH_REPLY))
    key = poll_lock_key(inbox.pk)
    cache.set(key, "another worker", timeout=60)
    try:
        busy = tasks.poll_inbox_task(inbox.pk)
    finally:
        cache.delete(key)

    assert (busy["busy"], busy["stored"]) == (True, 0)
    assert tasks.poll_inbox_task(inbox.pk)["stored"] == 1
