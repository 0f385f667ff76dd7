"""Pools of ready domains with inboxes, for the assignment, API and Domains-page tests."""

from __future__ import annotations

from datetime import datetime

from django.utils.text import slugify

from domains.models import Domain, DomainPool, DomainState
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox
from tenants.models import Organization


def pool(organization: Organization, name: str = "Acme", *, quota: int = 20) -> DomainPool:
    return DomainPool.objects.create(organization=organization, name=name, slug=slugify(name), quota=quota)


def ready_domain(pool: DomainPool, name: str, *, inboxes: int = 1, inbox_status: str = Inbox.Status.ACTIVE,
                 inbox_cap: int = 40, warmup_limit: int = 40, daily_cap: int = 150,
                 state: str = DomainState.READY, assigned_at: datetime | None = None) -> Domain:
    """A warmed domain (DNS passed) in ``state`` with ``inboxes`` inboxes in ``inbox_status``."""
    domain = create_domain(pool.organization, name, pool=pool, state=state, dns_ok=True, daily_cap=daily_cap,
                           assigned_at=assigned_at)
    add_inboxes(domain, inboxes, status=inbox_status, daily_cap=inbox_cap, warmup_limit=warmup_limit)
    return domain


def states(*names: str) -> dict[str, str]:
    return dict(Domain.objects.filter(name__in=names).values_list("name", "state"))
