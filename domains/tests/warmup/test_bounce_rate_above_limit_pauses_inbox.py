from datetime import timedelta

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, at, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_bounce_rate_above_limit_pauses_inbox(organization):
    today = DAY0 + timedelta(days=8)
    domain = make_domain(organization, state=DomainState.READY, inbox_status=Inbox.Status.ACTIVE, pauses=1)
    inbox = domain.inboxes.get()
    # 7 days x 40 sends = 280 sends, 9 bounces = 3.2 % (over 3 %); today's own figures are not judged yet.
    record_days(inbox, today - timedelta(days=7), 7, sent=40)
    inbox.days.filter(day=today - timedelta(days=1)).update(bounces=9)
    record_days(inbox, today, 1, sent=10, bounces=10)

    report = tick(today=today)

    inbox.refresh_from_db()
    assert report.paused == 1
    assert inbox.status == Inbox.Status.PAUSED and inbox.current_limit() == 0
    assert inbox.paused_at == at(today)
    assert inbox.pauses == 2
    assert inbox.pause_reason == "bounce rate 3.21% (9/280) above 3% over the last 7 days"
    assert report.details[0] == f"paused {inbox.address}: {inbox.pause_reason}"
