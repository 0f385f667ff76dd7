"""Missions committed in one transaction (a multi-mission command) reach the broker as one ``run_batch`` message per
chunk of ``REX_DISPATCH_BATCH_SIZE``, per priority, in the order they were created; a lone mission still travels
as ``run_mission``. Nothing is sent for a transaction that rolls back (``live.outbox``)."""

import pytest
from django.db import transaction

from missions.models import Mission
from missions.tests.factories import submit_canary
from missions.tests.publishing import published_mission_ids, published_tasks

pytestmark = pytest.mark.django_db


def test_ten_missions_of_one_transaction_go_out_as_chunks_of_four(organization, settings,
                                                                   django_capture_on_commit_callbacks):
    settings.REX_DISPATCH_BATCH_SIZE = 4
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            missions = [submit_canary(organization, tag=f"n{i}") for i in range(10)]

    ids = [str(m.id) for m in missions]
    assert [(task.task, list(task.args[0]) if task.task == "missions.run_batch" else task.args[0])
            for task in published] == [
        ("missions.run_batch", ids[0:4]),
        ("missions.run_batch", ids[4:8]),
        ("missions.run_batch", ids[8:10]),
    ]
    assert {task.queue for task in published} == {"missions.normal"}


def test_a_chunk_of_one_is_sent_as_a_plain_run_mission(organization, settings, django_capture_on_commit_callbacks):
    settings.REX_DISPATCH_BATCH_SIZE = 4
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            missions = [submit_canary(organization, tag=f"n{i}") for i in range(5)]

    assert [task.task for task in published] == ["missions.run_batch", "missions.run_mission"]
    assert published[1].args == (str(missions[4].id),)


def test_each_priority_goes_to_its_own_queue_in_its_own_chunks(organization, django_capture_on_commit_callbacks):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            high = [submit_canary(organization, priority="high", tag=f"n{i}") for i in range(2)]
            low = [submit_canary(organization, priority="low", tag=f"n{i}") for i in range(3)]

    by_queue = {task.queue: list(task.args[0]) for task in published}
    assert by_queue == {"missions.high": [str(m.id) for m in high], "missions.low": [str(m.id) for m in low]}


def test_a_batch_size_of_one_sends_every_mission_on_its_own(organization, settings,
                                                           django_capture_on_commit_callbacks):
    settings.REX_DISPATCH_BATCH_SIZE = 1
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            missions = [submit_canary(organization, tag=f"n{i}") for i in range(3)]

    assert {task.task for task in published} == {"missions.run_mission"}
    assert published_mission_ids(published) == [str(m.id) for m in missions]


def test_a_rolled_back_transaction_sends_nothing_and_the_next_one_sends_its_own(organization,
                                                                                 django_capture_on_commit_callbacks):
    with published_tasks() as published, django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = submit_canary(organization, tag="lost")
            raise RuntimeError("the command failed half-way")
        with transaction.atomic():
            kept = [submit_canary(organization, tag=f"n{i}") for i in range(2)]

    assert not Mission.objects.filter(pk=lost.pk).exists()
    assert published_mission_ids(published) == [str(m.id) for m in kept]
