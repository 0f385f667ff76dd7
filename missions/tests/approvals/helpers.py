"""Shared steps of the approval tests: ordering domains through the real intake, setting the budget row."""

from __future__ import annotations

from typing import Any

from agents.models import SpendBudget
from tenants.models import Organization

# Two new domains with three inboxes each: 2 * 1500 + 6 * 450 = 5700 cents at the default prices.
TWO_DOMAINS = {"type": "provision_domains", "params": {"count": 2, "client": "acme"}}
TWO_DOMAINS_CENTS = 5700


def set_budget(organization: Organization, **fields: Any) -> SpendBudget:
    budget, _ = SpendBudget.objects.update_or_create(organization=organization, defaults=fields)
    return budget


def order_domains(api_client, *, key: str | None = None) -> Any:
    """POST /api/rex/command for two new domains (its own idempotency key, so repeated orders are new missions)."""
    body = {**TWO_DOMAINS, **({"idempotency_key": key} if key else {})}
    return api_client.post("/api/rex/command", body, format="json")
