"""Signal receivers of the inboxes app (connected by its AppConfig.ready): the billing hooks.

A paid purchase's inboxes are created pending on their domains, each with a generated password stored only
encrypted; a cancelled purchase's inboxes are disabled. Inboxes need their domains: when one is missing, this
receiver asks the domains app to add the purchase's domains first (``domains.receivers.add_bought_domains``,
idempotent), so it works whichever of the two receivers Django calls first.

``addresses_on_record`` answers billing's question "which inbox addresses exist on these domains"
(``billing.inventory``; registered by the AppConfig), so billing never imports this app.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Collection
from typing import Any

from django.db import transaction
from django.dispatch import receiver

from billing.inventory import AddressOnRecord
from billing.models import Purchase, PurchaseItem
from billing.signals import purchase_activated, purchase_cancelled, purchase_completed
from domains.models import Domain
from domains.receivers import add_bought_domains
from inboxes.models import Inbox

logger = logging.getLogger(__name__)

FULFILLED_STATUSES = (Purchase.Status.PAID, Purchase.Status.ACTIVE)


def addresses_on_record(domain_names: Collection[str]) -> list[AddressOnRecord]:
    """Every inbox address on ``domain_names``, disabled ones too (billing's ``inventory`` lookup)."""
    return [AddressOnRecord(address=address, domain=domain, in_service=status != Inbox.Status.DISABLED)
            for address, domain, status in Inbox.objects.filter(domain__name__in=list(domain_names))
            .values_list("address", "domain__name", "status")]


def _inbox_addresses(purchase: Purchase) -> list[str]:
    return list(purchase.items.filter(kind=PurchaseItem.Kind.INBOX).values_list("name", flat=True))


def add_bought_inboxes(purchase: Purchase) -> list[Inbox]:
    """Create the purchase's inboxes that do not exist yet (pending, SMTP/IMAP on ``smtp.``/``imap.<domain>``).

    Idempotent: an address that exists already is skipped. Returns the purchase's inboxes. Does nothing for a
    purchase that is not paid or active.
    """
    if purchase.status not in FULFILLED_STATUSES:
        return []
    addresses = _inbox_addresses(purchase)
    if not addresses:
        return []
    organization = purchase.organization
    domain_names = {address.rsplit("@", 1)[1] for address in addresses}
    domains = {d.name: d for d in Domain.objects.filter(organization=organization, name__in=domain_names)}
    if len(domains) < len(domain_names):
        add_bought_domains(purchase)
        domains = {d.name: d for d in Domain.objects.filter(organization=organization, name__in=domain_names)}
    existing = set(Inbox.objects.filter(address__in=addresses).values_list("address", flat=True))
    new: list[Inbox] = []
    for address in addresses:
        if address in existing:
            continue
        local, domain_name = address.rsplit("@", 1)
        domain = domains.get(domain_name)
        if domain is None:
            logger.error("inbox %s of purchase %s: no domain %s in the organization; not created", address,
                         purchase.pk, domain_name)
            continue
        inbox = Inbox(organization=organization, domain=domain, address=address, display_name=local.capitalize(),
                      provider=Inbox.Provider.SMTP, smtp_host=f"smtp.{domain_name}", smtp_username=address,
                      imap_host=f"imap.{domain_name}", imap_username=address, status=Inbox.Status.PENDING)
        # The mailbox provider would be given this password when the inbox is set up; REX only keeps it encrypted.
        inbox.set_password(secrets.token_urlsafe(24))
        new.append(inbox)
    if new:
        with transaction.atomic():
            # A concurrent run (the same announcement handled twice) may have created some: theirs stand.
            Inbox.objects.bulk_create(new, ignore_conflicts=True)
        logger.info("purchase %s: %d inbox(es) created", purchase.pk, len(new))
    return list(Inbox.objects.filter(organization=organization, address__in=addresses))


def disable_bought_inboxes(purchase: Purchase) -> int:
    """Disable every inbox the purchase brought in (one UPDATE); returns how many changed."""
    disabled = (Inbox.objects.filter(organization_id=purchase.organization_id, address__in=_inbox_addresses(purchase))
                .exclude(status=Inbox.Status.DISABLED).update(status=Inbox.Status.DISABLED))
    if disabled:
        logger.info("purchase %s: %d inbox(es) disabled", purchase.pk, disabled)
    return disabled


@receiver(purchase_completed, sender=Purchase, dispatch_uid="inboxes.add_bought_inboxes")
def on_purchase_completed(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    add_bought_inboxes(purchase)


@receiver(purchase_activated, sender=Purchase, dispatch_uid="inboxes.log_purchase_activated")
def on_purchase_activated(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    # Warmup starts with the domain's (the warmup engine's work), not with the purchase.
    logger.info("purchase %s active: its inboxes wait for their domains' warmup", purchase.pk)


@receiver(purchase_cancelled, sender=Purchase, dispatch_uid="inboxes.disable_bought_inboxes")
def on_purchase_cancelled(sender: Any, purchase: Purchase, **kwargs: Any) -> None:
    disable_bought_inboxes(purchase)
