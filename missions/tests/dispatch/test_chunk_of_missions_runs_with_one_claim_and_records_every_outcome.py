"""``run_batch`` (a chunk of missions committed together) claims the still-queued ones in one statement, runs each
agent in turn and records every outcome as ``run_mission`` would: the same events, audit rows and retries. The
claim, the successes, the events and the audit rows of a chunk are one statement each, however many missions it
holds."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from agents.models import AgentLog
from missions.models import Mission, MissionStatus
from missions.runner import run_batch
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_tasks

pytestmark = pytest.mark.django_db(transaction=True)  # the runner works in autocommit, like a worker


def test_every_mission_of_the_chunk_gets_its_own_outcome(organization):
    ok = [submit_canary(organization, message=f"hello {i}") for i in range(4)]
    flaky = submit_canary(organization, fail_times=1)

    with published_tasks() as published:
        counts = run_batch([str(m.id) for m in [*ok, flaky]], worker="w1")

    assert counts == {"skipped": 0, "succeeded": 4, "retrying": 1}
    for i, mission in enumerate(ok):
        mission.refresh_from_db()
        assert mission.status == MissionStatus.SUCCEEDED
        assert mission.result["echo"]["message"] == f"hello {i}"
        assert list(mission.events.values_list("seq", "kind")) == [(1, "queued"), (2, "running"), (3, "succeeded")]
        assert AgentLog.objects.filter(mission=mission, action="run").get().payload["outcome"] == "succeeded"
    flaky.refresh_from_db()
    assert flaky.status == MissionStatus.RETRYING and flaky.attempts == 1
    # The retry is its own delayed message, as for a lone mission.
    assert [(task.task, task.args, task.eta is not None) for task in published] == [
        ("missions.run_mission", (str(flaky.id),), True)]


def test_missions_already_taken_or_cancelled_are_skipped(organization):
    missions = [submit_canary(organization) for _ in range(3)]
    missions[1].cancel()
    ids = [str(m.id) for m in missions]

    assert run_batch(ids, worker="w1") == {"skipped": 1, "succeeded": 2}
    # The same chunk delivered again (a redelivered message) runs nothing twice.
    assert run_batch(ids, worker="w2") == {"skipped": 3}
    assert AgentLog.objects.filter(action="run").count() == 2
    assert Mission.objects.get(pk=missions[1].pk).status == MissionStatus.CANCELLED


def queries_to_run(organization, size: int) -> int:
    ids = [str(submit_canary(organization).id) for _ in range(size)]
    with CaptureQueriesContext(connection) as queries:
        assert run_batch(ids, worker="w1")["succeeded"] == size
    return len(queries)


def test_a_chunk_of_successes_costs_the_same_statements_whatever_its_size(organization, settings):
    # One outcome write per chunk however slow the machine: no intermediate write, no hand-back.
    settings.REX_BATCH_FLUSH_SECONDS = settings.REX_BATCH_BUDGET_SECONDS = 600
    small, large = queries_to_run(organization, 3), queries_to_run(organization, 12)

    # Nine more missions cost no more statements: the claim, the successes (Mission.mark_many_succeeded), the
    # events and the audit rows are one statement each per wave.
    assert large == small
