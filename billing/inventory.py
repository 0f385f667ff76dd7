"""What billing needs to know about the things it sold once they exist elsewhere, asked without importing the apps.

Billing sits below ``domains`` and ``inboxes``: they hear of purchases through ``billing.signals`` and create
the domains and inboxes. Billing still has to know a little about what exists — which domains an organization
has and whether they may take more inboxes, which inbox addresses are used, which domain names REX holds (also
those that never went through billing: seeded demo domains, domains added by hand). Rather than billing importing
those apps, each app tells billing at start-up (its ``AppConfig.ready``) how to answer, through the functions
below. Without them billing knows only its own ``PurchaseItem`` rows.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class DomainOnRecord:
    """A domain as billing needs to see it: whose it is, and whether it may still take inboxes."""

    name: str
    organization_id: int
    state: str
    # False once it will never send again (retired, burned): no inbox may be bought on it.
    may_take_inboxes: bool


@dataclass(frozen=True)
class AddressOnRecord:
    """An inbox address on a domain; ``in_service`` is False for a disabled inbox (whose address stays taken)."""

    address: str
    domain: str
    in_service: bool


DomainLookup = Callable[[Collection[str]], Iterable[DomainOnRecord]]
AddressLookup = Callable[[Collection[str]], Iterable[AddressOnRecord]]

_domain_lookups: dict[str, DomainLookup] = {}
_address_lookups: dict[str, AddressLookup] = {}


def register_domain_lookup(uid: str, lookup: DomainLookup) -> None:
    """``lookup(names)`` yields the domains among ``names`` that exist, whoever holds them. ``uid`` makes a
    repeated registration (a second ``ready()``) replace the first instead of asking twice."""
    _domain_lookups[uid] = lookup


def register_address_lookup(uid: str, lookup: AddressLookup) -> None:
    """``lookup(domain_names)`` yields every inbox address on those domains, disabled ones included."""
    _address_lookups[uid] = lookup


def domains_on_record(names: Collection[str]) -> dict[str, DomainOnRecord]:
    """The domains among ``names`` that exist (by name); empty when no app registered a lookup."""
    if not names:
        return {}
    return {domain.name: domain for lookup in _domain_lookups.values() for domain in lookup(names)}


def addresses_on_record(domain_names: Collection[str]) -> list[AddressOnRecord]:
    """Every inbox address on ``domain_names``; empty when no app registered a lookup."""
    if not domain_names:
        return []
    return [address for lookup in _address_lookups.values() for address in lookup(domain_names)]
