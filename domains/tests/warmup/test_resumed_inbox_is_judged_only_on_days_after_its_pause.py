from datetime import timedelta

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, at, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_resumed_inbox_is_judged_only_on_days_after_its_pause(organization):
    domain = make_domain(organization, state=DomainState.WARMING, inbox_status=Inbox.Status.PAUSED,
                         paused_at=at(DAY0), warmup_limit=20, warmup_advanced_on=DAY0)
    inbox = domain.inboxes.get()
    record_days(inbox, DAY0 - timedelta(days=3), 4, sent=30, bounces=3)  # the 10 % that paused it

    tick(today=DAY0 + timedelta(days=3))
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.WARMING

    # Next day the bad days are still inside the 7-day window, but they are from before the pause: not judged.
    report = tick(today=DAY0 + timedelta(days=4))
    inbox.refresh_from_db()
    assert report.paused == 0
    assert inbox.status == Inbox.Status.WARMING and inbox.warmup_limit == 12

    # What it sends after resuming is judged like anything else.
    record_days(inbox, DAY0 + timedelta(days=4), 2, sent=30, bounces=2)
    report = tick(today=DAY0 + timedelta(days=6))
    inbox.refresh_from_db()
    assert report.paused == 1
    assert inbox.status == Inbox.Status.PAUSED and inbox.pause_reason.startswith("bounce rate 6.67% (4/60)")
