"""The worker roles are defined once (``WORKER_ROLE_QUEUES``): the command line of each, as the deployment roles
use it, and every periodic job lands on the control role's queue, never behind missions."""

import pytest
from django.conf import settings

from rex_project.celery import WORKER_ROLE_QUEUES, app, roles_served_by, worker_argv


def test_the_mission_worker_reads_the_mission_queues_by_priority():
    assert worker_argv("mission") == ["celery", "-A", "rex_project", "worker", "-Q",
                                      "missions.high,missions.normal,missions.low", "-n", "rex@%h"]


def test_the_control_worker_reads_only_the_control_queue_with_its_own_pool():
    assert worker_argv("control", concurrency=2) == ["celery", "-A", "rex_project", "worker", "-Q", "rex.control",
                                                     "-n", "rex-control@%h", "-c", "2"]


def test_a_python_interpreter_runs_celery_as_a_module():
    assert worker_argv("mission", concurrency=3, python="/venv/bin/python")[:3] == ["/venv/bin/python", "-m", "celery"]


def test_an_unknown_role_is_refused_with_the_known_ones():
    with pytest.raises(ValueError, match="known roles: mission, control"):
        worker_argv("missions")


def test_the_roles_share_no_queue_and_together_read_every_queue():
    mission, control = set(WORKER_ROLE_QUEUES["mission"]), set(WORKER_ROLE_QUEUES["control"])
    assert not mission & control
    assert mission | control == {queue.name for queue in app.conf.task_queues}


def test_a_worker_serves_a_role_only_when_it_reads_all_of_its_queues():
    assert roles_served_by(["rex.control"]) == {"control"}
    assert roles_served_by(["missions.high", "missions.normal"]) == set()
    assert roles_served_by([*WORKER_ROLE_QUEUES["mission"], "rex.control"]) == {"mission", "control"}


def test_every_beat_job_goes_to_the_control_workers_queue():
    queues = {name: entry["options"]["queue"] for name, entry in settings.CELERY_BEAT_SCHEDULE.items()}
    assert queues and set(queues.values()) == set(WORKER_ROLE_QUEUES["control"]), queues
