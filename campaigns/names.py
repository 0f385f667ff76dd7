"""The names campaigns owns, as a command may give them: campaigns, contact lists, sequences (``agents.names``).

Found by slug, as the agents find them when they run (``campaigns.services._named``); registered in
``campaigns/rex_agents.py`` so intake refuses an unknown one before a mission exists.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Model
from django.utils.text import slugify

from agents.names import Resolver
from campaigns.models import Campaign, ContactList, Sequence
from tenants.models import Organization


def _resolver(kind: str, model: type[Model]) -> Resolver:
    def exists(organization: Organization, value: str) -> bool:
        slug = slugify(value)
        return bool(slug) and model.objects.filter(organization=organization, slug=slug).exists()

    def known(organization: Organization) -> Iterable[str]:
        return model.objects.filter(organization=organization).order_by("slug").values_list("slug", flat=True)

    return Resolver(kind, exists, known)


RESOLVERS = (_resolver("campaign", Campaign), _resolver("list", ContactList), _resolver("sequence", Sequence))
