"""Data subject requests across organizations, for ``manage.py`` (a maintainer answering for the whole deployment);
the API acts for the caller's organization only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from privacy.personal_data import ErasureReport, Person, PersonNotFound, check_person, do_erase_person, do_export_person
from tenants.models import Organization


def check_people(email: str, organization_slug: str | None = None) -> list[Person]:
    """The person in the organization named, or in every organization that holds something about the address.

    Raises ``ValueError`` for a bad address or an unknown organization, ``PersonNotFound`` when nothing is held.
    """
    organizations = Organization.objects.order_by("slug")
    if organization_slug is not None:
        organizations = organizations.filter(slug=organization_slug)
        if not organizations.exists():
            raise ValueError(f"no organization with slug {organization_slug!r}")
    people = []
    for organization in organizations:
        try:
            people.append(check_person(organization, email))
        except PersonNotFound:
            continue
    if not people:
        where = f"in {organization_slug}" if organization_slug else "in any organization"
        raise PersonNotFound(f"REX holds nothing about {email.strip().lower()} {where}")
    return people


def export_people(people: list[Person], *, actor: str) -> dict[str, Any]:
    return {"email": people[0].email, "exported_at": timezone.now(),
            "organizations": [do_export_person(person, actor=actor) for person in people]}


def erase_people(people: list[Person], *, actor: str) -> list[tuple[Person, ErasureReport]]:
    return [(person, do_erase_person(person, actor=actor)) for person in people]
