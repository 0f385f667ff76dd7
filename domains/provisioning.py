"""Taking a bought domain from pending to warming: publish its DNS, check it, start its warmup.

Used by the provisioning and warmup agents (one domain at a time, as part of a mission) and by the beat job
that rechecks domains whose DNS had not propagated when their mission ran.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import F
from django.utils import timezone

from billing.models import Purchase
from domains.dns import DnsUnavailable, check_domain
from domains.dns_provider import get_provider
from domains.models import Domain, DomainState, IllegalDomainTransition
from domains.warmup import start_warmup


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
