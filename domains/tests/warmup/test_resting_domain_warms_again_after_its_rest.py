from datetime import timedelta

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_resting_domain_warms_again_after_its_rest(organization):
    domain = make_domain(organization, state=DomainState.READY, inboxes=2, inbox_status=Inbox.Status.ACTIVE)
    bad, good = domain.inboxes.order_by("address")
    record_days(bad, DAY0 - timedelta(days=2), 2, sent=40, bounces=4)
    tick(today=DAY0)
    domain.refresh_from_db()
    assert domain.state == DomainState.RESTING

    for day in (1, 2):
        report = tick(today=DAY0 + timedelta(days=day))
        assert report.domains_rewarming == 0 and report.resumed == 0
    report = tick(today=DAY0 + timedelta(days=3))

    domain.refresh_from_db()
    bad.refresh_from_db()
    good.refresh_from_db()
    assert report.domains_rewarming == 1 and report.resumed == 1
    assert domain.state == DomainState.WARMING and domain.rest_until is None and domain.incidents == 1
    assert (bad.status, bad.warmup_limit) == (Inbox.Status.WARMING, 20)
    assert good.status == Inbox.Status.ACTIVE
    # Ramped back up to its cap, the domain is ready again.
    day = 3
    while domain.state == DomainState.WARMING:
        day += 1
        tick(today=DAY0 + timedelta(days=day))
        domain.refresh_from_db()
    assert domain.state == DomainState.READY and day == 3 + 10  # 20 → 40 in steps of 2
