"""On the demo data (``rex seed``), every example command the dashboard offers as a chip is carried out: a mission
is planned, a question answered or a control applied. The one exception is a command whose agent this server does
not have (booking a meeting, until its agent is installed): it is refused saying what is supported."""

import pytest

from missions.decision import EXAMPLE_COMMANDS, do_command
from missions.decision.intents import supported_examples
from missions.models import Mission
from missions.services import CommandRejected
from ops.seed import seed_demo

pytestmark = pytest.mark.django_db


def test_every_example_works_on_the_demo():
    organization = seed_demo("correct horse battery").organization
    # The status example names mission 41f0f018…; the demo's missions have ids of their own.
    Mission.objects.create(id="41f0f018-4c5a-43cf-b3a0-494d8e54ec39", organization=organization, type="canary",
                           idempotency_key="example-mission")

    outcomes = {}
    for example in EXAMPLE_COMMANDS:
        try:
            result = do_command({"command": example}, organization=organization)
        except CommandRejected as exc:
            outcomes[example] = "refused: " + str(exc.errors["command"][0])
            continue
        answer = result.decision.answer
        outcomes[example] = result.record.outcome + (f" ({answer['kind']})" if answer else "")

    unsupported = {example for example in EXAMPLE_COMMANDS if example not in supported_examples()}
    # Booking a meeting waits for its agent (the meetings work); nothing else may be refused.
    assert unsupported <= {"book a meeting with jane@acme.example next week"}
    for example, outcome in outcomes.items():
        if example in unsupported:
            assert "Commands this server carries out, for example" in outcome, outcome
        else:
            assert outcome in ("accepted", "answered (number)", "answered (table)"), (example, outcome)
