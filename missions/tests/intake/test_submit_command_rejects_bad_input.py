"""`manage.py rex submit` refuses bad input with a readable CommandError and stores nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from missions.models import Mission


def test_params_that_are_not_json_raise_a_readable_error(organization):
    with pytest.raises(CommandError, match=r"--params is not valid JSON"):
        call_command("rex", "submit", "canary", "--params", "not json")

    assert Mission.objects.count() == 0


def test_unknown_type_raises_a_readable_error(organization):
    with pytest.raises(CommandError, match=r"type: .*unknown mission type 'warp_drive'"):
        call_command("rex", "submit", "warp_drive")

    assert Mission.objects.count() == 0


def test_invalid_params_raise_an_error_naming_the_param(organization):
    with pytest.raises(CommandError, match=r"params: .*fail_times"):
        call_command("rex", "submit", "canary", "--params", '{"fail_times": -1}')

    assert Mission.objects.count() == 0


def test_valid_submission_creates_the_mission_once(organization):
    out = StringIO()

    call_command("rex", "submit", "canary", "--params", '{"message": "cli"}', stdout=out)
    call_command("rex", "submit", "canary", "--params", '{"message": "cli"}', stdout=out)

    mission = Mission.objects.get()
    assert mission.params["message"] == "cli"
    assert out.getvalue().splitlines() == [f"created mission {mission.id} (queued)",
                                           f"existing mission {mission.id} (queued)"]
