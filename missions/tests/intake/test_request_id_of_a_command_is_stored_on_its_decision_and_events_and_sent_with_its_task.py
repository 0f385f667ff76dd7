"""The request id of an API command (X-Request-ID) is stored on the command's decision row and the mission's
events, and the task message that sends the mission to a worker carries it as a header."""

import pytest
from celery.signals import before_task_publish

from missions.models import CommandDecision, Mission
from missions.tests.factories import submit_canary
from rex_project.celery import REQUEST_ID_HEADER
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)  # the view's transaction commits and sends the task, as live


@pytest.fixture
def published_headers():
    seen: list[tuple[str, dict]] = []

    def record(sender=None, headers=None, **kwargs) -> None:
        seen.append((sender, dict(headers or {})))

    before_task_publish.connect(record, weak=False)
    yield seen
    before_task_publish.disconnect(record)
    with celery_app.connection_for_write() as connection:  # no worker runs here: drop what was sent
        connection.default_channel.queue_purge("missions.normal")


def test_command_request_id_reaches_the_decision_the_events_and_the_task(api_client, published_headers):
    response = api_client.post("/api/rex/command", {"type": "canary", "params": {"message": "hi"}}, format="json",
                               HTTP_X_REQUEST_ID="integration-7f3a")

    assert response.status_code == 201, response.data
    assert response["X-Request-ID"] == "integration-7f3a"
    mission = Mission.objects.get(pk=response.data["id"])
    assert CommandDecision.objects.get(missions=mission).request_id == "integration-7f3a"
    assert list(mission.events.values_list("kind", "request_id")) == [("queued", "integration-7f3a")]
    assert [(task, headers.get(REQUEST_ID_HEADER)) for task, headers in published_headers] == [
        ("missions.run_mission", "integration-7f3a")]


def test_rows_written_outside_any_request_have_no_request_id(organization, published_headers):
    mission = submit_canary(organization)

    assert list(mission.events.values_list("request_id", flat=True)) == [""]
    assert [headers.get(REQUEST_ID_HEADER) for _, headers in published_headers] == [None]
