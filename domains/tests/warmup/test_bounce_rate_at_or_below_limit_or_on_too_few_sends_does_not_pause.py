from datetime import timedelta

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_bounce_rate_at_or_below_limit_or_on_too_few_sends_does_not_pause(organization):
    today = DAY0 + timedelta(days=8)
    exactly_at_limit = make_domain(organization, inbox_status=Inbox.Status.ACTIVE,
                                   state=DomainState.READY).inboxes.get()
    record_days(exactly_at_limit, today - timedelta(days=5), 5, sent=20, bounces=0)
    exactly_at_limit.days.filter(day=today - timedelta(days=1)).update(bounces=3)      # 3 / 100 = 3 %, not above
    too_few_sends = make_domain(organization, inbox_status=Inbox.Status.ACTIVE,
                                state=DomainState.READY).inboxes.get()
    record_days(too_few_sends, today - timedelta(days=7), 7, sent=7, bounces=1)          # 49 sends, 14 %
    outside_window = make_domain(organization, inbox_status=Inbox.Status.ACTIVE,
                                 state=DomainState.READY).inboxes.get()
    record_days(outside_window, today - timedelta(days=20), 10, sent=40, bounces=20)     # bad, but 11+ days ago
    record_days(outside_window, today - timedelta(days=7), 7, sent=40, bounces=1)

    report = tick(today=today)

    assert report.paused == 0 and report.domains_resting == 0
    assert set(Inbox.objects.values_list("status", flat=True)) == {Inbox.Status.ACTIVE}
