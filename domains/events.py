"""Live updates of the Domains page: a domain's new row goes to its organization's dashboard sockets.

The message rides the organization's existing Channels group (the one the mission dashboard listens on), as
``{"type": "domain.event", "domains": [snapshot, ...]}``; ``MissionEventsConsumer.domain_event`` forwards it
to the browser. It is sent only after the transaction that changed the domains commits, so a page never shows a
move the database then rolls back, and it carries the committed row (``domains.overview.domain_snapshot``).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db import transaction

from domains.overview import domain_snapshots
from missions.events import broadcast, organization_group

logger = logging.getLogger(__name__)

# A bulk move of a large pool is sent as one message per this many domains, to keep a frame a browser and
# Redis handle comfortably (a few hundred bytes per domain).
DOMAINS_PER_MESSAGE = 500


def broadcast_domain_change(domain_ids: Iterable[int]) -> None:
    """After the current transaction commits (at once outside one), tell the dashboards these domains changed.

    One message per organization for the whole list, not one per domain. A failure to read or send is logged
    and dropped: the change itself is already committed and a page catches up when it reconnects.
    """
    ids = list(dict.fromkeys(domain_ids))
    if ids:
        transaction.on_commit(lambda: send_domain_change(ids), robust=True)


def domain_change_messages(domain_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The channel-layer messages for these domains, per organization id."""
    from domains.models import Domain  # domains.models imports this module (broadcast_domain_change)

    domains = list(Domain.objects.filter(pk__in=list(domain_ids)).select_related("pool", "campaign")
                   .order_by("name"))
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for domain, snapshot in zip(domains, domain_snapshots(domains), strict=True):
        by_org[domain.organization_id].append(snapshot)
    return {
        org_id: [{"type": "domain.event", "domains": snapshots[i:i + DOMAINS_PER_MESSAGE]}
                 for i in range(0, len(snapshots), DOMAINS_PER_MESSAGE)]
        for org_id, snapshots in by_org.items()
    }


def send_domain_change(domain_ids: Iterable[int]) -> None:
    for org_id, messages in domain_change_messages(domain_ids).items():
        for message in messages:
            broadcast(organization_group(org_id), message)
