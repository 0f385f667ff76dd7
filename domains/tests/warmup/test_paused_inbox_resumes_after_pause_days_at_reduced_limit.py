from datetime import timedelta

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, at, make_domain
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_paused_inbox_resumes_after_pause_days_at_reduced_limit(organization):
    # Paused on DAY0 (REX_WARMUP_PAUSE_DAYS = 3): one was active at its cap of 40, one warming at 16, one at 7.
    domain = make_domain(organization, state=DomainState.READY, inboxes=0)
    for address, limit in (("was-active", 40), ("was-warming", 16), ("was-early", 7)):
        Inbox.objects.create(organization=organization, domain=domain, address=f"{address}@{domain.name}",
                             status=Inbox.Status.PAUSED, warmup_limit=limit, warmup_day=12, paused_at=at(DAY0),
                             warmup_advanced_on=DAY0, pauses=1, pause_reason="bounce rate 4% above 3%")

    early = tick(today=DAY0 + timedelta(days=2))
    assert early.resumed == 0
    assert set(domain.inboxes.values_list("status", flat=True)) == {Inbox.Status.PAUSED}

    report = tick(today=DAY0 + timedelta(days=3))

    assert report.resumed == 3 and report.advanced == 0
    resumed = {i.address.split("@")[0]: (i.status, i.warmup_limit, i.current_limit()) for i in domain.inboxes.all()}
    assert resumed == {"was-active": (Inbox.Status.WARMING, 20, 20), "was-warming": (Inbox.Status.WARMING, 8, 8),
                       "was-early": (Inbox.Status.WARMING, 5, 5)}
    # From there it climbs the ramp again, from the reduced limit.
    tick(today=DAY0 + timedelta(days=4))
    assert domain.inboxes.get(address__startswith="was-active").warmup_limit == 22
