"""The names domains owns, as a command may give them: pools (a client's) and domains (``agents.names``).

Registered in ``domains/rex_agents.py``. A pool is never created by naming it: "warm up 2 new domains for
globex" is refused when there is no globex, and ``create pool globex`` is the command that makes one.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.text import slugify

from agents.names import Resolver
from core.names import normalize_domain_name
from domains.models import Domain, DomainPool
from tenants.models import Organization


def pool_slug(value: str) -> str:
    """The slug a pool named ``value`` has (``DomainPool.for_client``)."""
    return slugify(value)[:100]


def pool_exists(organization: Organization, value: str) -> bool:
    slug = pool_slug(value)
    return bool(slug) and DomainPool.objects.filter(organization=organization, slug=slug).exists()


def pool_slugs(organization: Organization) -> Iterable[str]:
    return DomainPool.objects.filter(organization=organization).order_by("slug").values_list("slug", flat=True)


def domain_exists(organization: Organization, value: str) -> bool:
    return Domain.objects.filter(organization=organization, name=normalize_domain_name(value)).exists()


def domain_names(organization: Organization) -> Iterable[str]:
    return Domain.objects.filter(organization=organization).order_by("name").values_list("name", flat=True)


RESOLVERS = (
    Resolver("pool", pool_exists, pool_slugs, hint=lambda value: f"To add it: create pool {pool_slug(value) or value}"),
    Resolver("domain", domain_exists, domain_names),
)
