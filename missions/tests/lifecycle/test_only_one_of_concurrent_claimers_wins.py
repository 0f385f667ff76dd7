"""Of several workers claiming the same queued mission at the same moment, exactly one gets it (PostgreSQL,
each claimer on its own connection)."""

import threading

import pytest
from django.db import connection

from missions.models import Mission, MissionStatus
from missions.tests.factories import submit_canary

CLAIMERS = 8


@pytest.mark.django_db(transaction=True)
def test_exactly_one_concurrent_claim_succeeds(organization):
    mission = submit_canary(organization)
    start = threading.Barrier(CLAIMERS, timeout=60)  # a stuck thread fails the test instead of hanging it
    results: dict[str, bool] = {}
    errors: list[BaseException] = []

    def claim(worker: str) -> None:
        try:
            start.wait()
            results[worker] = Mission.claim(mission.id, worker=worker) is not None
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=claim, args=(f"worker-{n}",)) for n in range(CLAIMERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    winners = [worker for worker, won in results.items() if won]
    assert len(results) == CLAIMERS
    assert len(winners) == 1
    mission.refresh_from_db()
    assert mission.status == MissionStatus.RUNNING
    assert mission.attempts == 1
    assert mission.worker == winners[0]
    assert list(mission.events.values_list("kind", flat=True)) == ["queued", "running"]
