"""The tenant: an organization and who belongs to it.

The bottom of the business stack: every mission, agent log, domain, purchase and contact belongs to one
organization, so this app imports no other project app. API tokens live here too: they say who a request acts
for, as the session does for pages. The tables kept their names from when the models lived
in ``missions`` (``missions_organization``, ``missions_membership``).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone


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
        known = getattr(user, "cached_organizations", None)  # an API key's, from tenants.credentials
        if known is not None:
            return next((o for o in known if not slug or o.slug == slug), None)
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


# --- API tokens --------------------------------------------------------------------------------------------------------

# A new key is "rex_" and 43 characters of urlsafe base64 (256 random bits): guessing one is hopeless, so a plain
# SHA-256 of it is enough to store (a slow password hash would only slow every API call down).
KEY_PREFIX = "rex_"
# The first characters of the key, kept in clear so a person can tell their tokens apart ("rex_3fA9…") without
# the row saying anything that would let someone use it.
SHOWN_PREFIX_LENGTH = 12
# last_used_at is written at most this often per token, so a stream of GETs does not write on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)


def hash_api_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def api_token_lifetime() -> timedelta | None:
    """How long a new token works (REX_API_TOKEN_LIFETIME_DAYS); None when tokens never expire (0)."""
    days = settings.REX_API_TOKEN_LIFETIME_DAYS
    return timedelta(days=days) if days > 0 else None


class ApiTokenManager(models.Manager["ApiToken"]):
    def issue(self, user: Any, *, name: str = "") -> tuple[ApiToken, str]:
        """A new token for ``user`` and its key. The key exists only in this return value: the row keeps its hash."""
        lifetime = api_token_lifetime()
        token = self.model(user=user, name=name, expires_at=timezone.now() + lifetime if lifetime else None)
        key = token.assign_new_key()
        token.save()
        return token, key

    def for_key(self, key: str) -> ApiToken | None:
        """The token whose key this is, with its user, whatever its state (the caller decides what a state means)."""
        return self.select_related("user").filter(key_hash=hash_api_key(key)).first()


class ApiToken(models.Model):
    """A key an integrator sends as ``Authorization: Token <key>`` (or ``Bearer``). Only its SHA-256 is stored;
    it stops working when it expires or is revoked (tenants.authentication)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200, blank=True, help_text="What the token is for (an integration's name).")
    prefix = models.CharField(max_length=16, editable=False, help_text="The key's first characters, to recognise it.")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True, help_text="Empty: never expires.")
    revoked_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ApiTokenManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name or 'unnamed'}, {self.user})"

    def assign_new_key(self) -> str:
        """Give this (unsaved) token a fresh key and return it; only its hash and prefix stay on the row."""
        if self.pk is not None:
            raise ValueError("a saved token keeps its key; issue a new token instead")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.key_hash = hash_api_key(key)
        self.prefix = key[:SHOWN_PREFIX_LENGTH]
        return key

    def refusal(self, now: datetime | None = None) -> str | None:
        """Why this token may not be used now, or None when it may."""
        now = now or timezone.now()
        if self.revoked_at is not None:
            return "This token was revoked."
        if self.expires_at is not None and self.expires_at <= now:
            return "This token has expired."
        return None

    def note_use(self, now: datetime | None = None) -> None:
        """Record that the token was used, at most once per LAST_USED_RESOLUTION.

        A conditional update: concurrent requests of one token write once, and a recent enough value (the usual
        case) costs no query at all.
        """
        now = now or timezone.now()
        stale_before = now - LAST_USED_RESOLUTION
        if self.last_used_at is not None and self.last_used_at > stale_before:
            return
        ApiToken.objects.filter(pk=self.pk).filter(
            models.Q(last_used_at__isnull=True) | models.Q(last_used_at__lte=stale_before)
        ).update(last_used_at=now)
        self.last_used_at = now

    @classmethod
    def revoke(cls, tokens: models.QuerySet[ApiToken], now: datetime | None = None) -> int:
        """Revoke the tokens that are not revoked yet; the number revoked. Takes effect on the next request, in
        every process (an update sends no post_save, so the cached credentials are forgotten here)."""
        from tenants.credentials import forget_credentials

        revoked = tokens.filter(revoked_at__isnull=True).update(revoked_at=now or timezone.now())
        forget_credentials()
        return revoked
