"""The tenant: an organization and who belongs to it.

The bottom of the business stack: every mission, agent log, domain, purchase and contact belongs to one
organization, so this app imports no other project app. The tables kept their names from when the models lived
in ``missions`` (``missions_organization``, ``missions_membership``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models


class Organization(models.Model):
    """The tenant: every mission, agent log, domain, purchase and contact belongs to one."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=64, unique=True)
    postal_address = models.TextField(blank=True, help_text="Printed in every cold email (CAN-SPAM).")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "missions_organization"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @classmethod
    def for_user(cls, user: Any, slug: str | None = None) -> Organization | None:
        """The organization a request acts for: the named one if the user belongs to it, else their first."""
        if not getattr(user, "is_authenticated", False):
            return None
        memberships = Membership.objects.filter(user=user).select_related("organization").order_by("id")
        if slug:
            memberships = memberships.filter(organization__slug=slug)
        membership = memberships.first()
        return membership.organization if membership else None


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", "Owner"
        MEMBER = "member", "Member"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "missions_membership"
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="unique_membership")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization} ({self.role})"

    @classmethod
    def organization_ids(cls, user_id: int) -> list[int]:
        """Every organization a user belongs to (the live socket subscribes to all of them)."""
        return list(cls.objects.filter(user_id=user_id).values_list("organization_id", flat=True))
