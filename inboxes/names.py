"""The names inboxes owns, as a command may give them: inboxes, by address (``agents.names``).

Registered in ``inboxes/rex_agents.py``; no agent takes an inbox yet, so the resolver is there for the first
params model that marks a field ``Names("inbox")`` (pausing or resuming an inbox, say).
"""

from __future__ import annotations

from collections.abc import Iterable

from agents.names import Resolver
from inboxes.models import Inbox
from tenants.models import Organization


def inbox_exists(organization: Organization, value: str) -> bool:
    return Inbox.objects.filter(organization=organization, address=value.strip().lower()).exists()


def inbox_addresses(organization: Organization) -> Iterable[str]:
    return Inbox.objects.filter(organization=organization).order_by("address").values_list("address", flat=True)


RESOLVERS = (Resolver("inbox", inbox_exists, inbox_addresses),)
