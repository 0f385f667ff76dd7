"""Against the real web server: a request waiting on two missions answers once the last of them is final, with
their final statuses; the server is known to be waiting (its head has arrived, the body has not) before each
mission is finished from the test, in its own committed transaction, as a worker would."""

import pytest

from conftest import api_token_for
from missions.tests.api.waiting.helpers import StatusRequest
from missions.tests.factories import drive_to, submit_canary

pytestmark = pytest.mark.e2e


def test_the_answer_comes_when_the_last_mission_is_final(asgi_server, user, organization):
    token = api_token_for(user)
    first, second = submit_canary(organization, tag="a"), submit_canary(organization, tag="b")

    waiting = StatusRequest(asgi_server, token, [first.id, second.id], wait=30)
    assert waiting.status == 200 and waiting.is_streamed()
    drive_to(first, "succeeded")
    drive_to(second, "failed")

    body = waiting.body()
    assert [(m["id"], m["status"]) for m in body["missions"]] == [(str(first.id), "succeeded"),
                                                                 (str(second.id), "failed")]
    assert body["missing"] == []


def test_a_mission_awaiting_approval_is_not_final(asgi_server, user, organization):
    token = api_token_for(user)
    mission = submit_canary(organization)
    type(mission).objects.filter(pk=mission.pk).update(status="awaiting_approval")

    waiting = StatusRequest(asgi_server, token, [mission.id], wait=1)

    assert waiting.is_streamed()
    assert [m["status"] for m in waiting.body()["missions"]] == ["awaiting_approval"]
