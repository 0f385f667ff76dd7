from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext

from domains.models import Domain, DomainState
from domains.tests.warmup_fleet import DAY0, at, make_domain, record_days
from inboxes.models import Inbox, InboxDay
from inboxes.warmup import TickReport, tick


def build_fleet(organization, scale: int) -> None:
    """``scale`` of each kind of domain the tick acts on, three inboxes each (two per kind for scale 1 → 5 x 3)."""
    today = DAY0 + timedelta(days=1)
    for _ in range(scale):
        make_domain(organization, inboxes=3)                                           # advance
        make_domain(organization, inboxes=3, warmup_limit=39, warmup_day=18)           # complete → ready
        bad = make_domain(organization, state=DomainState.IN_USE, inboxes=3, inbox_status=Inbox.Status.ACTIVE)
        for inbox in bad.inboxes.all():
            record_days(inbox, DAY0 - timedelta(days=2), 3, sent=30, bounces=3)       # pause → resting
        make_domain(organization, state=DomainState.RESTING, inboxes=3, inbox_status=Inbox.Status.PAUSED,
                    paused_at=at(DAY0 - timedelta(days=3)), warmup_limit=40)           # rest over → resume
        make_domain(organization, state=DomainState.RESTING, inboxes=3, inbox_status=Inbox.Status.PAUSED,
                    paused_at=at(DAY0), warmup_limit=40)                                # burn
    Domain.objects.filter(state=DomainState.RESTING, inboxes__paused_at=at(DAY0 - timedelta(days=3))).update(
        rest_until=at(today, 0), incidents=1)
    Domain.objects.filter(state=DomainState.RESTING, inboxes__paused_at=at(DAY0)).update(incidents=3)


def counted_tick(organization, scale: int) -> tuple[int, TickReport]:
    Inbox.objects.all().delete()
    InboxDay.objects.all().delete()
    Domain.objects.all().delete()
    build_fleet(organization, scale)
    with CaptureQueriesContext(connection) as queries:
        report = tick(today=DAY0 + timedelta(days=1))
    return len(queries), report


def test_tick_query_count_does_not_grow_with_inboxes(organization):
    small_queries, small = counted_tick(organization, 1)     # 15 inboxes
    large_queries, large = counted_tick(organization, 14)    # 210 inboxes

    # The fleets really were worked on, every rule at both sizes, the large one 14 times as much.
    assert small.counts() == {"advanced": 3, "completed": 3, "paused": 3, "resumed": 3, "disabled": 3,
                              "domains_ready": 1, "domains_resting": 1, "domains_burned": 1, "domains_rewarming": 1}
    assert large.counts() == {name: 14 * count for name, count in small.counts().items()}
    assert large_queries == small_queries
