"""`manage.py rex seed` creates the demo organization, admin user, missions and domain pool, and running it again
changes nothing but the admin's password."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from campaigns.demo import DEMO_CONTACTS, DEMO_DOMAINS, INBOX_NAMES
from campaigns.models import Campaign, ContactList
from domains.models import Domain, DomainPool
from inboxes.models import Inbox
from missions.models import Mission, MissionEvent
from missions.seed import DEMO_MISSIONS
from tenants.models import Membership, Organization

pytestmark = pytest.mark.django_db


def seed() -> str:
    out = StringIO()
    call_command("rex", "seed", stdout=out)
    return out.getvalue()


def test_seeding_twice_leaves_one_of_everything(monkeypatch):
    monkeypatch.setenv("REX_DEMO_PASSWORD", "demo-pass-from-env")

    first = seed()
    second = seed()

    assert "4 demo mission(s), 9 domain(s), 12 contact(s) created" in first
    assert "0 demo mission(s), 0 domain(s), 0 contact(s) created" in second
    organization = Organization.objects.get()
    assert organization.slug == "acme"
    admin = get_user_model().objects.get()
    assert (admin.username, admin.is_staff, admin.is_superuser) == ("admin", True, True)
    assert admin.check_password("demo-pass-from-env")
    assert Membership.objects.get().role == Membership.Role.OWNER
    assert sorted(Mission.objects.values_list("idempotency_key", flat=True)) == sorted(k for k, *_ in DEMO_MISSIONS)
    assert set(Mission.objects.values_list("status", "type")) == {("queued", "canary")}
    assert MissionEvent.objects.count() == len(DEMO_MISSIONS)
    # The demo pool: domains in every state but retired, with their inboxes and one campaign and list.
    assert DomainPool.objects.get().slug == "acme"
    assert sorted(Domain.objects.values_list("state", flat=True)) == sorted(state for _, state, _ in DEMO_DOMAINS)
    assert Inbox.objects.count() == len(DEMO_DOMAINS) * len(INBOX_NAMES)
    assert Campaign.objects.get().slug == "spring-launch"
    assert ContactList.objects.get().contacts.count() == len(DEMO_CONTACTS)


def test_password_follows_rex_demo_password(monkeypatch):
    monkeypatch.setenv("REX_DEMO_PASSWORD", "first-password")
    seed()
    monkeypatch.setenv("REX_DEMO_PASSWORD", "second-password")

    output = seed()

    admin = get_user_model().objects.get(username="admin")
    assert admin.check_password("second-password")
    assert not admin.check_password("first-password")
    assert "(REX_DEMO_PASSWORD)" in output


def printed_password(output: str) -> str:
    return output.split("password '", 1)[1].split("'", 1)[0]


def test_without_rex_demo_password_a_generated_one_is_kept_across_runs(monkeypatch):
    monkeypatch.delenv("REX_DEMO_PASSWORD", raising=False)

    first = seed()
    second = seed()

    assert "generated" in first
    assert printed_password(first) == printed_password(second)
    assert get_user_model().objects.get(username="admin").check_password(printed_password(second))
