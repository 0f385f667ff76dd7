"""The Mission changelist's "retry" and "cancel" actions go through the state machine: they change what they may
and report each mission they had to refuse."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from missions.models import MissionStatus
from missions.tests.factories import drive_to, submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks

CHANGELIST = "/admin/missions/mission/"


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client


def run_action(client: Client, action: str, missions) -> list[tuple[str, str]]:
    response = client.post(CHANGELIST, {"action": action, "_selected_action": [str(m.id) for m in missions]})
    assert response.status_code == 302, response.content[:500]
    return [(m.level_tag, m.message) for m in get_messages(response.wsgi_request)]


def test_retry_action_requeues_failed_missions_and_reports_the_others(admin_client, organization,
                                                                      django_capture_on_commit_callbacks):
    failed = drive_to(submit_canary(organization), MissionStatus.FAILED)
    cancelled = drive_to(submit_canary(organization), MissionStatus.CANCELLED)
    succeeded = drive_to(submit_canary(organization), MissionStatus.SUCCEEDED)

    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        messages = run_action(admin_client, "retry_missions", [failed, cancelled, succeeded])

    for mission in (failed, cancelled, succeeded):
        mission.refresh_from_db()
    assert (failed.status, cancelled.status, succeeded.status) == ("queued", "queued", "succeeded")
    assert failed.events.last().actor.username == "ops"
    assert ("success", "2 mission(s) retried.") in messages
    assert [text for level, text in messages if level == "warning"] == [
        f"{succeeded.id}: only failed or cancelled missions can be retried; this one is succeeded"]
    assert sorted(published_mission_ids(published)) == sorted([str(failed.id), str(cancelled.id)])


def test_cancel_action_cancels_unfinished_missions_and_reports_the_others(admin_client, organization):
    queued = submit_canary(organization)
    running = drive_to(submit_canary(organization), MissionStatus.RUNNING)
    failed = drive_to(submit_canary(organization), MissionStatus.FAILED)

    messages = run_action(admin_client, "cancel_missions", [queued, running, failed])

    for mission in (queued, running, failed):
        mission.refresh_from_db()
    assert (queued.status, running.status, failed.status) == ("cancelled", "cancelled", "failed")
    assert ("success", "2 mission(s) cancelled.") in messages
    assert [text for level, text in messages if level == "warning"] == [f"{failed.id}: mission is already failed"]
