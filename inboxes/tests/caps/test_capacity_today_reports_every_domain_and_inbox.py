from __future__ import annotations

from datetime import UTC, date, datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext

from domains.models import DomainState
from inboxes.caps import capacity_today
from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox
from tenants.models import Organization

NOON = datetime(2026, 11, 24, 12, 0, tzinfo=UTC)


def queries_for(organization: Organization) -> int:
    with CaptureQueriesContext(connection) as captured:
        capacity_today(organization, now=NOON)
    return len(captured)


def test_capacity_counts_both_caps_on_each_inbox_local_day(organization):
    domain = make_domain(organization, "cap.example", daily_cap=8)
    warming = make_inbox(domain, "warming", status=Inbox.Status.WARMING, daily_cap=40, warmup_limit=5)
    active = make_inbox(domain, "active", status=Inbox.Status.ACTIVE, daily_cap=6)
    paused = make_inbox(domain, "paused", status=Inbox.Status.PAUSED)
    for _ in range(2):
        warming.reserve_send(now=NOON)
    active.reserve_send(now=NOON)
    resting = make_domain(organization, "resting.example", state=DomainState.RESTING)
    idle = make_inbox(resting, "idle")

    report = capacity_today(organization, now=NOON)

    by_name = {d.name: d for d in report.domains}
    cap = by_name["cap.example"]
    assert (cap.daily_cap, cap.sent, cap.remaining, cap.day) == (8, 3, 5, date(2026, 11, 24))
    inboxes = {i.address: i for i in cap.inboxes}
    figures = {address: (i.limit, i.sent, i.remaining) for address, i in inboxes.items()}
    assert figures == {warming.address: (5, 2, 3), active.address: (6, 1, 5), paused.address: (0, 0, 0)}
    assert cap.available == 5  # 3 + 5 left in the inboxes, but the domain cap leaves only 5
    assert (by_name["resting.example"].may_send, by_name["resting.example"].available) == (False, 0)
    assert by_name["resting.example"].inboxes[0].limit == 0  # active itself, but its domain may not send
    assert idle.current_limit() == 40
    assert report.totals == {"domains": 2, "inboxes": 4, "domain_cap": 158, "inbox_limit": 11, "sent": 3,
                             "available": 5}


def test_inboxes_on_different_local_days_are_counted_on_their_own_day(organization):
    domain = make_domain(organization, daily_cap=10)
    auckland = make_inbox(domain, "nz", tz="Pacific/Auckland", daily_cap=4)
    london = make_inbox(domain, "uk", tz="Europe/London", daily_cap=4)
    auckland.reserve_send(now=NOON)
    for _ in range(3):
        london.reserve_send(now=NOON)

    [report] = capacity_today(organization, now=NOON).domains

    inboxes = {i.address: i for i in report.inboxes}
    assert (inboxes[auckland.address].day, inboxes[auckland.address].sent) == (date(2026, 11, 25), 1)
    assert (inboxes[london.address].day, inboxes[london.address].sent) == (date(2026, 11, 24), 3)
    assert report.sent_by_day == {"2026-11-24": 3, "2026-11-25": 1}
    assert report.available == 3 + 1


def test_capacity_costs_the_same_queries_for_one_domain_or_many(organization):
    make_inbox(make_domain(organization, "one.example"))
    few = queries_for(organization)
    for n in range(5):
        domain = make_domain(organization, f"more{n}.example")
        for local in ("a", "b", "c"):
            make_inbox(domain, local).reserve_send(now=NOON)

    assert queries_for(organization) == few == 4


def test_capacity_is_limited_to_the_organization(organization, other_organization_client):
    make_inbox(make_domain(organization, "ours.example"))
    other = Organization.objects.get(slug="globex")
    make_inbox(make_domain(other, "theirs.example"))

    assert [d.name for d in capacity_today(organization, now=NOON).domains] == ["ours.example"]
    assert [d.name for d in capacity_today(now=NOON).domains] == ["ours.example", "theirs.example"]
