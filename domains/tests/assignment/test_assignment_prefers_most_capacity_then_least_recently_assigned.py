"""The spreading rule: the most sending capacity today first (the smaller of the domain's cap and its inboxes'
limits), then the least recently assigned (never-assigned first), then by name."""

from datetime import timedelta

from django.utils import timezone

from campaigns.assignment import assign_domains
from campaigns.models import Campaign
from domains.tests.assignment_helpers import pool, ready_domain
from inboxes.models import Inbox


def test_domains_are_handed_out_by_capacity_then_least_recently_assigned(organization):
    acme = pool(organization)
    now = timezone.now()
    ready_domain(acme, "big.example", inboxes=3)  # 3 x 40 = 120 a day
    ready_domain(acme, "capped.example", inboxes=5, daily_cap=100)  # 200 by its inboxes, 100 by its own cap
    ready_domain(acme, "mid-recent.example", inboxes=2, assigned_at=now - timedelta(days=1))  # 80
    ready_domain(acme, "mid-old.example", inboxes=2, assigned_at=now - timedelta(days=30))  # 80
    ready_domain(acme, "mid-never.example", inboxes=2)  # 80, never assigned
    ready_domain(acme, "a-warming.example", inboxes=3, inbox_status=Inbox.Status.WARMING, warmup_limit=9)  # 27

    first = assign_domains(organization, campaign=Campaign.named(organization, "one"), count=4, actor="alice")
    second = assign_domains(organization, campaign=Campaign.named(organization, "two"), count=2, actor="alice")

    assert [d.name for d in first] == ["big.example", "capped.example", "mid-never.example", "mid-old.example"]
    assert [d.name for d in second] == ["mid-recent.example", "a-warming.example"]
