from datetime import timedelta

from domains.models import DomainState
from domains.provisioning import start_warmup
from domains.tests.warmup_fleet import make_domain
from inboxes.models import Inbox
from inboxes.warmup import tick, utc_today


def test_new_inbox_starts_at_five_and_grows_by_the_step_each_day(organization):
    domain = make_domain(organization, state=DomainState.DNS_PENDING, inboxes=2, inbox_status=Inbox.Status.PENDING)

    start_warmup(domain, actor="ops:alice")

    domain.refresh_from_db()
    assert domain.state == DomainState.WARMING
    assert domain.transitions.get().actor == "ops:alice"
    today = utc_today()
    inboxes = list(domain.inboxes.all())
    assert [(i.status, i.warmup_limit, i.warmup_day, i.warmup_advanced_on, i.current_limit()) for i in inboxes] == \
        [(Inbox.Status.WARMING, 5, 1, today, 5)] * 2

    limits = []
    for day in range(1, 5):
        report = tick(today=today + timedelta(days=day))
        assert report.advanced == 2
        limits.append(sorted(domain.inboxes.values_list("warmup_day", "warmup_limit")))
    # 5 → 40 in 21 days: step max(2, ceil(35 / 20)) = 2.
    assert limits == [[(2, 7)] * 2, [(3, 9)] * 2, [(4, 11)] * 2, [(5, 13)] * 2]
