from datetime import timedelta

import pytest

from domains.tests.warmup_fleet import DAY0, make_domain
from inboxes.models import Inbox
from inboxes.warmup import ramp_limit, tick


@pytest.mark.parametrize(("cap", "increment", "target_days"), [(40, 2, 21), (40, 2, 10), (50, 3, 14), (20, 1, 28)])
def test_inbox_reaches_its_cap_within_target_days_and_becomes_active(organization, cap, increment, target_days):
    domain = make_domain(organization, daily_cap=cap, warmup_increment=increment, warmup_target_days=target_days)
    inbox = domain.inboxes.get()

    ramp = [inbox.warmup_limit]
    while inbox.status == Inbox.Status.WARMING:
        tick(today=DAY0 + timedelta(days=inbox.warmup_day))
        inbox.refresh_from_db()
        ramp.append(inbox.warmup_limit)
        assert inbox.warmup_day <= target_days, f"still warming on day {inbox.warmup_day}: {ramp}"

    assert inbox.status == Inbox.Status.ACTIVE
    assert inbox.current_limit() == cap and ramp[-1] == cap
    # The ramp the database walked is the documented formula, day by day, and never steps back.
    assert ramp == [ramp_limit(day, daily_cap=cap, warmup_start=5, warmup_increment=increment,
                               warmup_target_days=target_days) for day in range(1, len(ramp) + 1)]
    assert ramp == sorted(ramp)
