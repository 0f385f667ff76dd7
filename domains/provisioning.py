"""Taking a bought domain from pending to warming: publish its DNS, check it, start its warmup.

Used by the provisioning and warmup agents (one domain at a time, as part of a mission) and by the beat job
that rechecks domains whose DNS had not propagated when their mission ran.

Starting warmup moves the domain to warming and starts its pending inboxes, in one transaction. The inboxes and
the warmup engine belong to the inboxes app, which sits above this one: it tells this module how to start a
domain's inboxes at start-up (``register_inbox_starter``, from its AppConfig) instead of this app importing it,
and the starter runs inside ``start_warmup``'s transaction, so a failure there leaves the domain where it was.
Without it a domain has no inboxes to start.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from billing.models import Purchase
from domains.dns import DnsUnavailable, check_domain
from domains.dns_provider import get_provider
from domains.models import SENDING_STATES, Domain, DomainState, IllegalDomainTransition

logger = logging.getLogger(__name__)

# Starts the domain's pending inboxes at their first warmup volume; returns how many it started.
InboxStarter = Callable[[Domain], int]
_inbox_starter: InboxStarter | None = None


def register_inbox_starter(start: InboxStarter) -> None:
    """``start(domain)`` starts the domain's pending inboxes' warmup, in the caller's transaction."""
    global _inbox_starter
    _inbox_starter = start


class DomainResting(IllegalDomainTransition):
    """start_warmup on a resting domain: its rest is not over, the tick brings it back."""

    def __init__(self, domain: Domain) -> None:
        until = f" until {domain.rest_until:%Y-%m-%d}" if domain.rest_until else ""
        Exception.__init__(self, f"domain {domain.name} is resting after an incident{until}; the daily warmup tick "
                                 "brings it back to warming when its rest is over")
        self.domain, self.current, self.target = domain.name, DomainState.RESTING, DomainState.WARMING


def start_warmup(domain: Domain, *, actor: str) -> None:
    """Bring ``domain`` into warmup: dns_pending → warming, and its pending inboxes start at their start volume.

    On a domain already sending (warming, ready, in_use) it only starts the inboxes still pending (inboxes added
    later). Raises ``DnsNotPassed`` when DNS has not passed, ``DomainResting`` for a resting domain and
    ``IllegalDomainTransition`` for any other state.
    """
    with transaction.atomic():
        if domain.state == DomainState.DNS_PENDING:
            domain.transition(DomainState.WARMING, reason="DNS passed; warmup started", actor=actor)
        elif domain.state == DomainState.RESTING:
            raise DomainResting(domain)
        elif domain.state not in SENDING_STATES:
            raise IllegalDomainTransition(domain.name, domain.state, DomainState.WARMING)
        started = _inbox_starter(domain) if _inbox_starter is not None else 0
    if started:
        logger.info("warmup started for %d inbox(es) of %s by %s", started, domain.name, actor)


class DnsNotReady(Exception):
    """The domain's records have not passed (yet); ``failed`` maps record type to why."""

    def __init__(self, domain: Domain, failed: dict[str, str]) -> None:
        super().__init__(f"DNS of {domain.name} has not passed yet: "
                         + "; ".join(f"{kind}: {why}" for kind, why in failed.items()))
        self.domain = domain
        self.failed = failed


def prepare_domain(domain: Domain, *, warmup: bool, actor: str) -> Domain:
    """Take one domain as far as it can go now. Each step is skipped when already done, so it can be re-run.

    Raises ``DnsNotReady`` when the records have not passed, ``domains.dns.DnsUnavailable`` when no resolver
    answered.
    """
    if domain.state == DomainState.PENDING:
        get_provider().publish(domain)
        try:
            domain.transition(DomainState.DNS_PENDING, reason="DNS records published", actor=actor)
        except IllegalDomainTransition:
            domain.refresh_from_db()  # another worker moved it first; carry on from where it is
    if domain.state == DomainState.DNS_PENDING:
        check = check_domain(domain)
        domain.refresh_from_db()
        if not check.passed:
            raise DnsNotReady(domain, {kind: result.get("detail", "") for kind, result in check.results.items()
                                       if not result.get("ok")})
        if warmup:
            start_warmup(domain, actor=actor)
            domain.refresh_from_db()
    elif warmup and domain.state in (DomainState.WARMING, DomainState.READY, DomainState.IN_USE):
        start_warmup(domain, actor=actor)  # starts inboxes added since (a bought extra inbox); a no-op otherwise
    return domain


def recheck_pending_dns(*, limit: int = 200) -> dict[str, Any]:
    """Check up to ``limit`` domains in dns_pending (least recently checked first); start warmup where it passes,
    unless the domain was bought by a provisioning mission that asked for no warmup."""
    report = {"checked": 0, "passed": 0, "warming": 0, "unreachable": 0}
    pending = list(Domain.objects.filter(state=DomainState.DNS_PENDING)
                   .order_by(F("dns_checked_at").asc(nulls_first=True), "id")[:limit])
    held_back = _bought_without_warmup(pending)
    for domain in pending:
        report["checked"] += 1
        try:
            prepare_domain(domain, warmup=domain.purchase_reference not in held_back, actor="system:dns-recheck")
        except DnsNotReady:
            continue
        except DnsUnavailable:
            report["unreachable"] += 1
            # Every other domain would time out the same way; try again next round.
            break
        report["passed"] += 1
        report["warming"] += int(domain.state == DomainState.WARMING)
    report["at"] = timezone.now().isoformat()
    return report


def _bought_without_warmup(domains: list[Domain]) -> set[str]:
    """The purchase references, among ``domains``', of provisioning missions that asked for no warmup ("warmup":
    false): their DNS is rechecked, but their warmup waits for a warmup mission, as ordered."""
    references = set()
    for domain in domains:
        try:
            references.add(uuid.UUID(domain.purchase_reference))
        except ValueError:
            continue  # not bought through billing (added by hand): nothing was ordered about its warmup
    if not references:
        return set()
    return {str(pk) for pk in Purchase.objects.filter(pk__in=references, mission__type="provision_domains",
                                                      mission__params__warmup=False).values_list("pk", flat=True)}
