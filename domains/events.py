"""Live updates of the Domains page: the committed rows of domains that changed, on the ``domains`` stream.

Published through ``live.publish`` after the transaction that moved the domains commits, so a page never shows a
move the database then rolls back, and it carries the committed row (``domains.overview.domain_snapshot``). A
frame is ``{"type": "domain.event", "domains": [snapshot, ...]}`` (plus ``"domain"`` when it is one).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from domains.overview import domain_snapshots
from live.publish import after_commit, publish_many

logger = logging.getLogger(__name__)

# The live stream of domain rows (declared in DomainsConfig.ready).
STREAM = "domains"
# A bulk move of a large pool is sent as one frame per this many domains, to keep a frame a browser and Redis
# handle comfortably (a few hundred bytes per domain).
DOMAINS_PER_MESSAGE = 500


def broadcast_domain_change(domain_ids: Iterable[int]) -> None:
    """After the current transaction commits (at once outside one), tell the dashboards these domains changed.

    One frame per organization for the whole list, not one per domain, read after commit so it shows what the
    database holds.
    """
    ids = list(dict.fromkeys(domain_ids))
    if ids:
        after_commit(lambda: send_domain_change(ids))


def domain_change_frames(domain_ids: Iterable[int]) -> dict[int, list[dict[str, Any]]]:
    """The live frames for these domains, per organization id."""
    from domains.models import Domain  # domains.models imports this module (broadcast_domain_change)

    domains = list(Domain.objects.filter(pk__in=list(domain_ids)).select_related("pool", "campaign")
                   .order_by("name"))
    by_org: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for domain, snapshot in zip(domains, domain_snapshots(domains), strict=True):
        by_org[domain.organization_id].append(snapshot)
    frames: dict[int, list[dict[str, Any]]] = {}
    for org_id, snapshots in by_org.items():
        frames[org_id] = []
        for start in range(0, len(snapshots), DOMAINS_PER_MESSAGE):
            chunk = snapshots[start:start + DOMAINS_PER_MESSAGE]
            frames[org_id].append({"type": "domain.event", "domains": chunk,
                                   **({"domain": chunk[0]} if len(chunk) == 1 else {})})
    return frames


def send_domain_change(domain_ids: Iterable[int]) -> None:
    for org_id, frames in domain_change_frames(domain_ids).items():
        publish_many(org_id, STREAM, frames)
