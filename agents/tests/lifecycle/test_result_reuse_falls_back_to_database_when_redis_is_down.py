"""With the result cache's Redis really stopped, the same idempotency check is answered by the database, and the
caller sees no error: the mission succeeds with the earlier result and the work is not done again."""

import subprocess
import time
import uuid

import pytest
import redis

from agents import idempotency
from missions.models import Mission, MissionStatus
from missions.runner import run_claimed
from missions.services import submit_mission
from ops.embedded import redis_server_binary
from ops.net import free_port, port_open

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def own_redis(settings, tmp_path):
    """A redis-server of the test's own, so stopping it hurts nobody else."""
    port = free_port()
    proc = subprocess.Popen([redis_server_binary(), "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)], stdout=subprocess.DEVNULL)
    client = redis.Redis(port=port, socket_timeout=1)
    for _ in range(200):
        if port_open("127.0.0.1", port):
            break
        time.sleep(0.05)
    settings.REX_IDEMPOTENCY_REDIS_URL = f"redis://127.0.0.1:{port}/0"
    idempotency.reset_client()
    yield proc, client
    if proc.poll() is None:
        proc.terminate()
        proc.wait(5)
    idempotency.reset_client()


def _twin_of(mission: Mission) -> Mission:
    """A second mission for the same work (same result key), as a re-submitted command would be."""
    return Mission.objects.create(organization=mission.organization, type=mission.type, params=mission.params,
                                  idempotency_key=f"twin-{uuid.uuid4().hex}", result_key=mission.result_key)


def test_stopped_redis_falls_back_to_the_database(organization, counting_agent, own_redis, settings):
    proc, client = own_redis
    first = submit_mission(organization, mission_type="test_counting", params={"numbers": [2, 2]}).mission
    assert run_claimed(str(first.id), worker="w") == "succeeded"
    # Cached while Redis was up.
    assert client.exists(f"{settings.REX_CACHE_PREFIX}:idem:{organization.pk}:{first.result_key}")
    proc.terminate()
    proc.wait(5)
    twin = _twin_of(first)

    assert run_claimed(str(twin.id), worker="w") == "succeeded"

    twin.refresh_from_db()
    assert twin.status == MissionStatus.SUCCEEDED
    assert twin.result == {"total": 4}
    assert twin.events.last().data["reused_from"] == "database"
    assert counting_agent.executions == [str(first.id)]


def test_unreachable_redis_without_an_earlier_result_just_runs_the_agent(organization, counting_agent, settings):
    settings.REX_IDEMPOTENCY_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    idempotency.reset_client()
    mission = submit_mission(organization, mission_type="test_counting", params={"numbers": [9]}).mission

    assert run_claimed(str(mission.id), worker="w") == "succeeded"

    mission.refresh_from_db()
    assert mission.result == {"total": 9}
    assert "reused_from" not in mission.events.last().data
    assert counting_agent.executions == [str(mission.id)]
