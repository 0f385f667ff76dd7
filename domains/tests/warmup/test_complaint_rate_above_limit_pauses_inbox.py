from datetime import timedelta

from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_complaint_rate_above_limit_pauses_inbox(organization):
    today = DAY0 + timedelta(days=8)
    complained = make_domain(organization).inboxes.get()
    record_days(complained, today - timedelta(days=7), 7, sent=150)                      # 1,050 sends
    complained.days.filter(day=today - timedelta(days=2)).update(complaints=2)           # 0.19 % > 0.1 %
    at_limit = make_domain(organization).inboxes.get()
    record_days(at_limit, today - timedelta(days=5), 5, sent=200)                        # 1,000 sends
    at_limit.days.filter(day=today - timedelta(days=1)).update(complaints=1)             # 0.1 %, not above

    report = tick(today=today)

    complained.refresh_from_db()
    at_limit.refresh_from_db()
    assert report.paused == 1
    assert complained.status == Inbox.Status.PAUSED
    assert complained.pause_reason == "complaint rate 0.19% (2/1050) above 0.1% over the last 7 days"
    assert at_limit.status == Inbox.Status.WARMING and at_limit.warmup_day == 2
