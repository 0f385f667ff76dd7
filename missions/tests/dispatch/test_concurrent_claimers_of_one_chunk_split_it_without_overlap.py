"""Two workers claiming the same chunk at the same moment (a redelivered message, say) never both take a mission:
every mission is claimed exactly once, and each is marked running once."""

import threading

import pytest
from django.db import connection

from missions.models import Mission, MissionEvent
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db(transaction=True)


def test_each_mission_is_claimed_by_exactly_one_of_two_workers(organization):
    ids = [str(submit_canary(organization, tag=f"n{i}").id) for i in range(40)]
    # The same chunk in opposite orders: which missions a claimer wins must not depend on the order it was given.
    orders = {"w1": ids, "w2": list(reversed(ids))}
    barrier = threading.Barrier(2)
    claimed: dict[str, list[str]] = {}

    def claim(worker: str) -> None:
        try:
            barrier.wait(timeout=10)
            claimed[worker] = [str(m.id) for m in Mission.claim_batch(orders[worker], worker=worker)]
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(worker,)) for worker in orders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert not set(claimed["w1"]) & set(claimed["w2"])
    assert sorted(claimed["w1"] + claimed["w2"]) == sorted(ids)
    assert MissionEvent.objects.filter(mission_id__in=ids, kind="running").count() == 40
    for worker, taken in claimed.items():
        assert set(Mission.objects.filter(id__in=taken).values_list("worker", flat=True)) <= {worker}
