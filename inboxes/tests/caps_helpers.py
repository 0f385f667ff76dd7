"""Builders for the caps, crypto and admin tests: a domain and its inboxes in a given state."""

from __future__ import annotations

from domains.models import Domain, DomainState
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox
from tenants.models import Organization


def make_domain(organization: Organization, name: str = "mail-acme.example", *, state: str = DomainState.IN_USE,
                daily_cap: int = 150) -> Domain:
    return create_domain(organization, name, state=state, daily_cap=daily_cap)


def make_inbox(domain: Domain, local_part: str = "sales", *, status: str = Inbox.Status.ACTIVE, daily_cap: int = 40,
               warmup_limit: int = 0, warmup_day: int = 0, tz: str = "UTC") -> Inbox:
    [inbox] = add_inboxes(domain, local_part=local_part, status=status, daily_cap=daily_cap,
                          warmup_limit=warmup_limit, warmup_day=warmup_day, timezone=tz)
    return inbox
