"""End to end: the X-Request-ID of an API call to a real daphne is on the command's decision row, on every event of
its mission (the worker's too, the retry's included, which travelled in a later message), on the mission's audit
rows, and on the worker's JSON log lines about that mission."""

import json
import urllib.request

import pytest

from agents.models import AgentLog
from conftest import api_token_for, wait_for
from missions.models import CommandDecision, Mission, MissionStatus

pytestmark = pytest.mark.e2e

REQUEST_ID = "e2e-request-9b1c"


def post_command(base_url: str, token: str, body: dict) -> tuple[int, dict, str]:
    request = urllib.request.Request(f"{base_url}/api/rex/command", data=json.dumps(body).encode(), method="POST")
    request.add_header("Content-Type", "application/json")
    request.add_header("Authorization", f"Token {token}")
    request.add_header("X-Request-ID", REQUEST_ID)
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.status, json.loads(response.read()), response.headers["X-Request-ID"]


def test_request_id_is_on_the_rows_and_the_worker_log_lines(asgi_server, start_worker, user):
    worker = start_worker(REX_LOG_FORMAT="json")
    token = api_token_for(user)

    status, body, echoed = post_command(asgi_server, token, {"type": "canary", "params": {"fail_times": 1}})

    assert status == 201, body
    assert echoed == REQUEST_ID
    mission = Mission.objects.get(pk=body["id"])
    wait_for(lambda: Mission.objects.filter(pk=mission.pk, status=MissionStatus.SUCCEEDED).exists(), 60,
             "the mission to succeed after its retry")
    assert list(mission.events.order_by("seq").values_list("kind", "request_id")) == [
        ("queued", REQUEST_ID), ("running", REQUEST_ID), ("retrying", REQUEST_ID), ("running", REQUEST_ID),
        ("succeeded", REQUEST_ID)]
    assert CommandDecision.objects.get(missions=mission).request_id == REQUEST_ID
    audit = AgentLog.objects.filter(mission=mission)
    assert audit.filter(action="run").count() == 2
    assert set(audit.values_list("request_id", flat=True)) == {REQUEST_ID}

    def mission_lines() -> list[dict]:
        lines = [json.loads(line) for line in worker.output().splitlines() if line.startswith("{")]
        return [line for line in lines if line.get("mission_id") == str(mission.pk)]

    # The outcome lines are written after each attempt's commit, which may follow the row check by a moment.
    lines = wait_for(lambda: len(mission_lines()) >= 2 and mission_lines(), 10, "the worker's lines on the mission")
    assert {line["request_id"] for line in lines} == {REQUEST_ID}
    assert [line["message"].split(": ", 1)[1].split(" after")[0] for line in lines] == ["retrying", "succeeded"]
    assert all(line["logger"] == "missions.runner" and line["timestamp"] for line in lines)
