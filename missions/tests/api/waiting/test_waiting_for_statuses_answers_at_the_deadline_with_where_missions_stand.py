"""Against the real web server: when the wait runs out first, the answer is the same body, with the missions as
they stand then (still queued: no worker runs here)."""

import pytest

from conftest import api_token_for
from missions.tests.api.waiting.helpers import StatusRequest
from missions.tests.factories import drive_to, submit_canary

pytestmark = pytest.mark.e2e


def test_the_wait_ends_with_the_missions_as_they_stand(asgi_server, user, organization):
    token = api_token_for(user)
    queued = submit_canary(organization, tag="q")
    done = drive_to(submit_canary(organization, tag="d"), "succeeded")

    waiting = StatusRequest(asgi_server, token, [queued.id, done.id], wait=0.5)

    assert waiting.status == 200
    assert [(m["id"], m["status"]) for m in waiting.body()["missions"]] == [(str(queued.id), "queued"),
                                                                           (str(done.id), "succeeded")]
