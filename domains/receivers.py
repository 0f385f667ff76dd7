"""Signal receivers of the domains app (connected by its AppConfig.ready): the billing hooks.

``domains_on_record`` answers billing's question "which of these domain names exist, whose, and may they take
inboxes" (``billing.inventory``; registered by the AppConfig), so billing never imports this app.

A paid purchase's domains join the client's pool as pending domains; a cancelled purchase's domains retire.
``add_bought_domains`` is public because the inboxes app's receiver calls it too: inboxes need their domains,
and calling it (it is idempotent) makes the two receivers work whichever of them runs first.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Collection
from typing import Any

from django.db import IntegrityError, transaction
from django.dispatch import receiver

from billing.inventory import DomainOnRecord
from billing.models import Purchase, PurchaseItem
from billing.providers import get_registrar
from billing.signals import purchase_activated, purchase_cancelled, purchase_completed
from domains.models import Domain, DomainPool, DomainState

logger = logging.getLogger(__name__)

FULFILLED_STATUSES = (Purchase.Status.PAID, Purchase.Status.ACTIVE)
# A domain moved by someone else while it was being retired is retried from its new state, a few times at most.
RETIRE_ATTEMPTS = 3


def add_bought_domains(purchase: Purchase) -> list[Domain]:
    """Create the purchase's domains that do not exist yet (pending, in the pool of ``purchase.client``).

    Idempotent: a name that exists already is skipped. Returns the purchase's domains. Does nothing for a
    purchase that is not paid or active (a cancellation may have overtaken the announcement).
    """
    if purchase.status not in FULFILLED_STATUSES:
        return []
    names = list(purchase.items.filter(kind=PurchaseItem.Kind.DOMAIN).values_list("name", flat=True))
    if not names:
        return []
    organization = purchase.organization
    reference = str(purchase.pk)
    existing = {domain.name: domain for domain in Domain.objects.filter(name__in=names)}
    for name, domain in existing.items():
        if domain.organization_id != organization.pk or domain.purchase_reference not in ("", reference):
            # The names were free when the purchase chose them under the billing lock; this is someone's manual row.
            logger.error("bought domain %s of purchase %s already belongs to organization %s (purchase %r); "
                         "not added", name, reference, domain.organization_id, domain.purchase_reference)
    missing = [name for name in names if name not in existing]
    if missing:
        registrar = get_registrar()
        pool = DomainPool.for_client(organization, purchase.client or organization.slug)
        for name in missing:
            registrar.register(name, organization=organization)
            try:
                with transaction.atomic():
                    Domain.objects.create(organization=organization, pool=pool, name=name,
                                          state=DomainState.PENDING, purchase_reference=reference)
            except IntegrityError:
                logger.info("domain %s of purchase %s was added concurrently", name, reference)
        logger.info("purchase %s: %d domain(s) added to pool %s", reference, len(missing), pool.slug)
    return list(Domain.objects.filter(organization=organization, name__in=names))


def domains_on_record(names: Collection[str]) -> list[DomainOnRecord]:
    """The domains among ``names``, whoever holds them (billing's ``inventory`` lookup)."""
    return [DomainOnRecord(name=name, organization_id=organization_id, state=state,
                           may_take_inboxes=state not in (DomainState.RETIRED, DomainState.BURNED))
            for name, organization_id, state in Domain.objects.filter(name__in=list(names))
            .values_list("name", "organization_id", "state")]


def retire_bought_domains(purchase: Purchase, *, reason: str = "purchase cancelled") -> list[int]:
    """Retire every domain the purchase brought in (audited transitions); returns the ids retired now."""
    retired: list[int] = []
    for _ in range(RETIRE_ATTEMPTS):
        by_state: dict[str, list[int]] = defaultdict(list)
        for pk, state in (Domain.objects.filter(organization_id=purchase.organization_id,
                                                purchase_reference=str(purchase.pk))
                          .exclude(state=DomainState.RETIRED).values_list("pk", "state")):
            by_state[state].append(pk)
        if not by_state:
            break
        for state, ids in by_state.items():
            retired += Domain.bulk_transition(ids, state, DomainState.RETIRED, reason=reason, actor="billing")
    if retired:
        logger.info("purchase %s: %d domain(s) retired (%s)", purchase.pk, len(retired), reason)
    return retired


@receiver(purchase_completed, sender=Purchase, dispatch_uid="domains.add_bought_domains")
def on_purchase_completed(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    add_bought_domains(purchase)


@receiver(purchase_activated, sender=Purchase, dispatch_uid="domains.log_purchase_activated")
def on_purchase_activated(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    # Setting up DNS and warmup is the provisioning agent's work, not this hook's.
    logger.info("purchase %s active: its domains are in pool %s", purchase.pk, purchase.client)


@receiver(purchase_cancelled, sender=Purchase, dispatch_uid="domains.retire_bought_domains")
def on_purchase_cancelled(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    retire_bought_domains(purchase)
