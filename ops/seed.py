"""The demo seed: an organization, an ``admin`` staff user, and what each app adds to the demo. Safe to run again.

Ops creates the tenant and the user; each app contributes its own demo rows through ``register_demo_seed`` (in its
``AppConfig.ready``): missions its canary missions, campaigns the sending identities (a domain pool with domains
and inboxes in every state, a campaign and a contact list). Ops imports none of them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from core.registry import Registry
from tenants.models import Membership, Organization

# seeder(organization, user) → what it created, e.g. {"demo mission(s)": 4}; zeros on a second run.
DemoSeeder = Callable[[Organization, Any], dict[str, int]]


@dataclass(frozen=True)
class _Registered:
    order: int
    seeder: DemoSeeder


_seeders: Registry[_Registered] = Registry("demo seed")


def register_demo_seed(name: str, seeder: DemoSeeder, *, order: int = 100) -> None:
    """Add an app's part of the demo; seeders run by ``order`` (then name), after the organization and user exist."""
    _seeders.register(name, _Registered(order, seeder))


@dataclass
class SeedReport:
    organization: Organization
    username: str
    password: str
    password_source: str
    created: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        counts = ", ".join(f"{count} {what}" for what, count in self.created.items())
        return (f"demo organization {self.organization.slug!r}; user {self.username!r} / password "
                f"{self.password!r} ({self.password_source}); {counts or 'nothing else'} created")


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
    report = SeedReport(organization, user.username, password, source)
    for registered in sorted((_seeders[name] for name in _seeders), key=lambda r: r.order):
        for what, count in registered.seeder(organization, user).items():
            report.created[what] = report.created.get(what, 0) + count
    return report
