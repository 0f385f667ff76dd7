from __future__ import annotations

import pytest
from django.urls import reverse

from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox

SECRET = "Tr0ub4dor&3-admin-unique"


@pytest.fixture
def inbox(organization) -> Inbox:
    inbox = make_inbox(make_domain(organization), status=Inbox.Status.WARMING, warmup_limit=5, warmup_day=1)
    inbox.set_password(SECRET)
    inbox.save()
    return inbox


def form_data(inbox: Inbox, **overrides: str) -> dict[str, str]:
    data = {
        "organization": str(inbox.organization_id), "domain": str(inbox.domain_id), "address": inbox.address,
        "display_name": "Sales", "provider": inbox.provider, "timezone": inbox.timezone,
        "new_password": "", "smtp_host": "smtp.acme.example", "smtp_port": "587", "smtp_username": inbox.address,
        "smtp_security": "starttls", "imap_host": "", "imap_port": "993", "imap_username": "",
        "daily_cap": str(inbox.daily_cap), "warmup_start": "5", "warmup_increment": "2",
        "warmup_target_days": "21",
    }
    data.update(overrides)
    return data


def test_change_page_shows_neither_the_password_nor_its_token(admin_client, inbox):
    html = admin_client.get(reverse("admin:inboxes_inbox_change", args=[inbox.pk])).content.decode()

    assert 'name="new_password"' in html
    assert SECRET not in html
    assert inbox.password_encrypted not in html
    assert inbox.password_encrypted[:20] not in html  # not even a truncated token
    assert "password_encrypted" not in html


def test_changelist_shows_only_whether_a_password_is_set(admin_client, inbox):
    html = admin_client.get(reverse("admin:inboxes_inbox_changelist")).content.decode()

    assert inbox.address in html
    assert SECRET not in html and inbox.password_encrypted[:20] not in html


def test_blank_new_password_keeps_the_current_one(admin_client, inbox):
    token = inbox.password_encrypted

    response = admin_client.post(reverse("admin:inboxes_inbox_change", args=[inbox.pk]), form_data(inbox))

    assert response.status_code == 302, response.content.decode()[:2000]
    inbox.refresh_from_db()
    assert inbox.password_encrypted == token
    assert inbox.smtp_host == "smtp.acme.example"


def test_new_password_is_stored_encrypted(admin_client, inbox):
    response = admin_client.post(reverse("admin:inboxes_inbox_change", args=[inbox.pk]),
                                 form_data(inbox, new_password="a brand new one"))

    assert response.status_code == 302
    inbox.refresh_from_db()
    assert inbox.password == "a brand new one"
    assert "a brand new one" not in inbox.password_encrypted
    html = admin_client.get(reverse("admin:inboxes_inbox_change", args=[inbox.pk])).content.decode()
    assert "a brand new one" not in html


def test_password_can_be_removed(admin_client, inbox):
    response = admin_client.post(reverse("admin:inboxes_inbox_change", args=[inbox.pk]),
                                 form_data(inbox, clear_password="on"))

    assert response.status_code == 302
    inbox.refresh_from_db()
    assert inbox.password_encrypted == ""


def test_status_cannot_be_changed_through_the_form(admin_client, inbox):
    admin_client.post(reverse("admin:inboxes_inbox_change", args=[inbox.pk]), form_data(inbox, status="active"))

    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.WARMING
