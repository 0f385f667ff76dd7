"""Ops' admin pages for missions, their events, agents, agent logs and organizations load with a search and a
filter applied, and the search and filter really narrow the list."""

import pytest
from django.test import Client

from agents.models import Agent, AgentLog
from missions.models import MissionStatus
from missions.tests.factories import drive_to, submit_canary
from tenants.models import Membership, Organization


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client


@pytest.fixture
def data(organization, user, django_user_model):
    """Two of everything, one of which the search and filter below pick."""
    failed = drive_to(submit_canary(organization, message="doomed"), MissionStatus.FAILED)
    queued = submit_canary(organization, message="fine")
    AgentLog.objects.create(organization=organization, mission=failed, agent="canary", action="run",
                            level=AgentLog.Level.ERROR, attempt=1)
    AgentLog.objects.create(organization=organization, mission=queued, agent="canary", action="probe",
                            level=AgentLog.Level.INFO)
    globex = Organization.objects.create(name="Globex", slug="globex")
    Membership.objects.create(organization=globex, user=django_user_model.objects.create_user("bob"))
    Agent.objects.create(name="retired", version="0.9", enabled=False)
    return {"failed": failed, "queued": queued}


@pytest.mark.parametrize("url, expected_count", [
    ("/admin/missions/mission/?q=canary&status__exact=failed", 1),
    ("/admin/missions/missionevent/?q=boom&kind=failed", 1),
    ("/admin/missions/missionevent/?q=submitted&to_status=queued", 2),
    ("/admin/agents/agent/?q=canary&enabled__exact=1", 1),
    ("/admin/agents/agentlog/?q=run&level__exact=error", 1),
    ("/admin/tenants/organization/?q=globex", 1),
    ("/admin/tenants/membership/?q=alice&role__exact=owner", 1),
], ids=["mission", "event-by-message", "event-by-status", "agent", "agent-log", "organization", "membership"])
def test_changelist_answers_200_and_narrows(admin_client, data, url, expected_count):
    response = admin_client.get(url)

    assert response.status_code == 200
    changelist = response.context["cl"]
    assert changelist.result_count == expected_count
    assert changelist.full_result_count > expected_count


def test_mission_change_page_shows_its_timeline(admin_client, data):
    failed = data["failed"]

    response = admin_client.get(f"/admin/missions/mission/{failed.id}/change/")

    assert response.status_code == 200
    assert b"boom" in response.content
