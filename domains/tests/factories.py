"""The one place tests build sending identities: a domain in a pool, and inboxes on it.

The helper modules of each test family (assignment, warmup, caps, sending) keep their own defaults, the ones
their tests read naturally, and build through these two functions, so a new required field or invariant of
``Domain`` or ``Inbox`` is handled here once.
"""

from __future__ import annotations

from typing import Any

from domains.models import Domain, DomainPool, DomainState
from inboxes.models import Inbox
from tenants.models import Organization


def create_domain(organization: Organization, name: str, *, pool: DomainPool | None = None, client: str = "Acme",
                  state: str = DomainState.READY, **fields: Any) -> Domain:
    """A saved domain in ``pool`` (default: the client's pool, made if missing) and ``state``."""
    pool = pool or DomainPool.for_client(organization, client)
    return Domain.objects.create(organization=organization, pool=pool, name=name, state=state, **fields)


def add_inboxes(domain: Domain, count: int = 1, *, local_part: str = "rep", status: str = Inbox.Status.ACTIVE,
                password: str = "", **fields: Any) -> list[Inbox]:
    """``count`` saved inboxes on ``domain``: ``rep0@…``, ``rep1@…`` (or ``local_part`` alone when count is 1 and
    it is not the default), with an encrypted password when one is given."""
    inboxes = []
    for number in range(count):
        local = local_part if count == 1 and local_part != "rep" else f"{local_part}{number}"
        inbox = Inbox(organization=domain.organization, domain=domain, address=f"{local}@{domain.name}",
                      status=status, **fields)
        if password:
            inbox.set_password(password)
        inbox.save()
        inboxes.append(inbox)
    return inboxes
