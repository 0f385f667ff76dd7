"""``manage.py rex submit``: submit one mission from the shell (and wait for it), contributed to ops' ``rex``.

    manage.py rex submit canary --params '{"fail_times": 2}' --priority high --wait 30
"""

from __future__ import annotations

import json
import time
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from missions.models import Mission
from missions.services import CommandRejected, submit_mission
from ops.cli import Subcommand
from tenants.models import Organization


def add_arguments(parser: ArgumentParser) -> None:
    parser.add_argument("type")
    parser.add_argument("--params", default="{}", help="JSON object")
    parser.add_argument("--priority", default="normal", choices=["high", "normal", "low"])
    parser.add_argument("--org", default=None, help="organization slug (default: the only one)")
    parser.add_argument("--idempotency-key", default=None)
    parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the mission to finish")


def submit(command: BaseCommand, options: dict[str, Any]) -> None:
    try:
        params = json.loads(options["params"])
    except json.JSONDecodeError as exc:
        raise CommandError(f"--params is not valid JSON: {exc}") from exc
    orgs = Organization.objects.all()
    if options["org"]:
        orgs = orgs.filter(slug=options["org"])
    candidates = list(orgs[:2])
    if not candidates:
        raise CommandError(f"no organization {options['org']!r}" if options["org"] else "no organization yet; "
                           "run `manage.py rex seed` or create one in the admin")
    if len(candidates) > 1:
        raise CommandError("several organizations exist; name one with --org SLUG")
    try:
        submission = submit_mission(candidates[0], mission_type=options["type"], params=params,
                                    priority=options["priority"], idempotency_key=options["idempotency_key"])
    except CommandRejected as exc:
        raise CommandError("; ".join(f"{field}: {msgs}" for field, msgs in exc.errors.items())) from exc
    mission = submission.mission
    command.stdout.write(f"{'created' if submission.created else 'existing'} mission {mission.id} ({mission.status})")
    deadline = time.monotonic() + options["wait"]
    while options["wait"] and time.monotonic() < deadline and not mission.is_final:
        time.sleep(0.2)
        mission = Mission.objects.get(pk=mission.pk)
    if options["wait"]:
        command.stdout.write(f"mission {mission.id} is {mission.status}")
        if not mission.is_final:
            raise CommandError(f"mission {mission.id} still {mission.status} after {options['wait']:g} s")


SUBMIT = Subcommand("submit", "submit one mission", add_arguments, submit)
