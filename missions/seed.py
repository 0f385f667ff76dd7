"""The demo seed: an organization, an ``admin`` staff user, a few missions, and a domain pool with inboxes, a
campaign and a contact list (domains.demo). Safe to run again."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from domains.demo import seed_sending_identities
from missions.services import submit_mission
from tenants.models import Membership, Organization

DEMO_MISSIONS = [
    ("demo-canary-hello", {"message": "hello from the demo seed"}, "normal"),
    ("demo-canary-flaky", {"message": "fails once, then succeeds", "fail_times": 1}, "high"),
    ("demo-canary-slow", {"message": "takes three seconds", "sleep_ms": 3000}, "low"),
    ("demo-canary-doomed", {"message": "fails every attempt", "fail_times": 10}, "normal"),
]


@dataclass
class SeedReport:
    organization: Organization
    username: str
    password: str
    password_source: str
    missions_created: int
    domains_created: int = 0
    contacts_created: int = 0


def demo_password(explicit: str | None) -> tuple[str, str]:
    """REX_DEMO_PASSWORD if given; else one generated once and kept under var/ so every run prints the same."""
    if explicit:
        return explicit, "REX_DEMO_PASSWORD"
    path = Path(settings.VAR_DIR) / "demo_password"
    if not path.exists():
        path.write_text(secrets.token_urlsafe(12))
        path.chmod(0o600)
    return path.read_text().strip(), f"generated, kept in {path}"


def seed_demo(explicit_password: str | None = None) -> SeedReport:
    password, source = demo_password(explicit_password)
    User = get_user_model()
    with transaction.atomic():
        organization, _ = Organization.objects.get_or_create(
            slug="acme",
            defaults={"name": "Acme Outbound", "postal_address": "Acme Outbound Ltd, 1 Demo Street, London EC1A 1AA, UK"},
        )
        user, _ = User.objects.get_or_create(username="admin", defaults={"email": "admin@acme.example"})
        user.is_staff = True
        user.is_superuser = True
        user.set_password(password)
        user.save()
        Membership.objects.get_or_create(user=user, organization=organization,
                                         defaults={"role": Membership.Role.OWNER})
    created = 0
    for key, params, priority in DEMO_MISSIONS:
        submission = submit_mission(organization, mission_type="canary", params=params, priority=priority,
                                    idempotency_key=key, requested_by=user)
        created += int(submission.created)
    identities = seed_sending_identities(organization)
    return SeedReport(organization, user.username, password, source, created, identities.domains_created,
                      identities.contacts_created)
