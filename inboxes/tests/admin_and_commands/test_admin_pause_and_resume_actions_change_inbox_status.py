from __future__ import annotations

import pytest
from django.urls import reverse

from inboxes.caps import CapReached
from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox


def act(client, action: str, *inboxes: Inbox):
    return client.post(reverse("admin:inboxes_inbox_changelist"),
                       {"action": action, "_selected_action": [str(i.pk) for i in inboxes]}, follow=True)


def test_pause_stops_sending_and_resume_restores_the_warmup(admin_client, admin_user, organization):
    domain = make_domain(organization)
    warming = make_inbox(domain, "warming", status=Inbox.Status.WARMING, warmup_limit=7, warmup_day=2)
    active = make_inbox(domain, "active", status=Inbox.Status.ACTIVE, warmup_limit=40)

    response = act(admin_client, "pause_inboxes", warming, active)

    assert "2 inbox(es) paused." in response.content.decode()
    warming.refresh_from_db()
    assert warming.status == Inbox.Status.PAUSED
    assert warming.pause_reason == f"paused by {admin_user.username} in the admin"
    with pytest.raises(CapReached) as refused:
        warming.reserve_send()
    assert refused.value.scope == "status"

    response = act(admin_client, "resume_inboxes", warming, active)

    assert "2 inbox(es) resumed." in response.content.decode()
    warming.refresh_from_db()
    active.refresh_from_db()
    assert (warming.status, warming.warmup_limit, warming.pause_reason) == (Inbox.Status.WARMING, 7, "")
    assert active.status == Inbox.Status.ACTIVE  # warmup already reached its cap
    warming.reserve_send()


def test_actions_report_the_inboxes_they_left_alone(admin_client, organization):
    domain = make_domain(organization)
    disabled = make_inbox(domain, "disabled", status=Inbox.Status.DISABLED)
    active = make_inbox(domain, "active", status=Inbox.Status.ACTIVE)

    paused = act(admin_client, "pause_inboxes", disabled).content.decode()
    resumed = act(admin_client, "resume_inboxes", active).content.decode()

    assert f"Not paused (it was not pending, warming or active): {disabled.address}" in paused
    assert f"Not resumed (it was not paused or disabled): {active.address}" in resumed
    disabled.refresh_from_db()
    assert disabled.status == Inbox.Status.DISABLED
