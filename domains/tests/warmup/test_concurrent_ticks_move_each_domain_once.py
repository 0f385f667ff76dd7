import threading
from datetime import timedelta

import pytest
from django.db import connection

from domains.models import DomainState, DomainTransition
from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import TickReport, tick


@pytest.mark.django_db(transaction=True)
def test_concurrent_ticks_move_each_domain_once(organization):
    today = DAY0 + timedelta(days=8)
    for _ in range(20):
        bad = make_domain(organization, state=DomainState.READY, inboxes=2, inbox_status=Inbox.Status.ACTIVE)
        record_days(bad.inboxes.first(), today - timedelta(days=2), 2, sent=40, bounces=4)
        make_domain(organization, inboxes=2, warmup_limit=39, warmup_day=18)

    reports: list[TickReport] = []
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def run() -> None:
        try:
            start.wait(10)
            reports.append(tick(today=today))
        except BaseException as exc:  # noqa: BLE001 - handed to the test thread
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert errors == [] and len(reports) == 4
    # Together the four ticks did the day's work exactly once: each inbox paused or advanced once, each domain
    # moved once (one audit row each), whichever tick did it.
    assert sum(r.paused for r in reports) == 20 and sum(r.completed for r in reports) == 40
    assert sum(r.domains_resting for r in reports) == 20 and sum(r.domains_ready for r in reports) == 20
    assert DomainTransition.objects.count() == 40
    assert set(Inbox.objects.filter(status=Inbox.Status.PAUSED).values_list("pauses", flat=True)) == {1}
