"""On the agents board, staff disable an agent for everyone (its missions are then refused at intake, as the
admin's switch always did) and enable it again; each change is in the admin's log. A member who is not staff is
refused (403) and changes nothing."""

from __future__ import annotations

import pytest
from django.contrib.admin.models import LogEntry

from agents import registry
from agents.models import Agent

pytestmark = pytest.mark.django_db


def test_only_staff_enable_or_disable_an_agent_and_the_change_is_audited(client, user, api_client):
    registry.sync_rows()
    client.force_login(user)
    assert client.post("/agents/canary/enabled", {"enabled": "false"}).status_code == 403
    assert Agent.objects.get(name="canary").enabled

    user.is_staff = True
    user.save(update_fields=["is_staff"])
    assert client.post("/agents/canary/enabled", {"enabled": "false"}).status_code == 302
    assert not Agent.objects.get(name="canary").enabled
    refused = api_client.post("/api/rex/command", {"type": "canary", "params": {}}, format="json")
    assert refused.status_code == 400 and "disabled" in str(refused.json())

    assert client.post("/agents/canary/enabled", {"enabled": "true"}).status_code == 302
    assert Agent.objects.get(name="canary").enabled
    assert list(LogEntry.objects.order_by("pk").values_list("change_message", "user_id")) == [
        ("Disabled on the agents board", user.pk), ("Enabled on the agents board", user.pk)]
    assert client.post("/agents/no-such-agent/enabled", {"enabled": "true"}).status_code == 404
