"""The Domains page of the dashboard: the organization's pools and domains, kept live by static/rex/domains.js."""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from domains.models import Domain, DomainPool, DomainState
from domains.overview import domain_snapshots
from tenants.access import organization_page


def pool_summaries(pools: list[DomainPool], snapshots: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each pool with its number of domains per state (every state, zeros included, in life-cycle order)."""
    counts = Counter((row["pool"], row["state"]) for row in snapshots)
    return [
        {
            "slug": pool.slug,
            "name": pool.name,
            "quota": pool.quota,
            "total": sum(counts[(pool.slug, state)] for state in DomainState.values),
            "in_use": counts[(pool.slug, DomainState.IN_USE)],
            "states": [{"state": state, "label": label, "count": counts[(pool.slug, state)]}
                       for state, label in DomainState.choices],
        }
        for pool in pools
    ]


@organization_page
def domain_pool_page(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    pools: list[DomainPool] = []
    domains: list[Domain] = []
    if organization is not None:
        pools = list(DomainPool.objects.filter(organization=organization).order_by("name"))
        domains = list(Domain.objects.filter(organization=organization).select_related("pool", "campaign")
                       .order_by("name"))
    snapshots = domain_snapshots(domains)
    return render(request, "domains/domains.html", {
        "organization": organization,
        "pools": pool_summaries(pools, snapshots),
        "rows": list(zip(domains, snapshots, strict=True)),
        "states": DomainState.choices,
        "initial": {
            "pools": [{"slug": p.slug, "name": p.name, "quota": p.quota} for p in pools],
            "domains": snapshots,
        },
    })
