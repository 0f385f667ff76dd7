from __future__ import annotations

from datetime import UTC, date, datetime

from inboxes.models import DomainDay, InboxDay
from inboxes.tests.caps_helpers import make_domain, make_inbox


def test_auckland_inbox_counts_on_its_own_next_day(organization):
    domain = make_domain(organization)
    auckland = make_inbox(domain, "kia-ora", tz="Pacific/Auckland")
    london = make_inbox(domain, "hello", tz="Europe/London")
    noon_utc = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)  # 01:00 on the 25th in Auckland (NZDT, UTC+13)

    assert auckland.reserve_send(now=noon_utc) == date(2026, 11, 25)
    assert london.reserve_send(now=noon_utc) == date(2026, 11, 24)

    assert InboxDay.objects.get(inbox=auckland).day == date(2026, 11, 25)
    assert InboxDay.objects.get(inbox=london).day == date(2026, 11, 24)
    # The domain's counter follows the local day of the inbox that sent.
    assert dict(DomainDay.objects.filter(domain=domain).values_list("day", "sent")) == {
        date(2026, 11, 25): 1, date(2026, 11, 24): 1}


def test_inbox_gets_a_fresh_limit_at_its_local_midnight(organization):
    inbox = make_inbox(make_domain(organization), daily_cap=1, tz="Pacific/Auckland")
    before_midnight = datetime(2026, 11, 24, 10, 59, tzinfo=UTC)  # 23:59 on the 24th in Auckland
    after_midnight = datetime(2026, 11, 24, 11, 0, tzinfo=UTC)    # 00:00 on the 25th

    assert inbox.reserve_send(now=before_midnight) == date(2026, 11, 24)
    assert inbox.reserve_send(now=after_midnight) == date(2026, 11, 25)
