"""The intents the engine knows: the ones the apps register (``agents.intents``) and the engine's own.

The engine's own are the commands that are about REX itself, not about sales: the status of a mission, a
canary (the pipeline check, whose agent lives in the agents app) and help. They come after the apps' intents, so
the apps' commands are tried, listed and suggested first.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from agents import intents as registered
from agents import registry
from agents.canary import CanaryAgent
from agents.intents import THE, Intent, Rule, slot

REF = r"[^\s]+"


def _status(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {"mission": slots["ref"]}


def _nothing(slots: dict[str, str], today: date) -> dict[str, Any]:
    return {}


MISSION_STATUS = Intent(
    name="mission_status",
    description="the status of one of the caller's missions (answered, no mission)",
    rules=(Rule("status of mission {ref}", "status of mission 41f0f018",
                (rf"(?:what(?:'s| is) {THE}|show (?:me )?{THE}|get {THE}|check {THE})?status (?:of|for) {THE}"
                 rf"mission {slot('ref', REF)}",
                 rf"(?:show (?:me )?)?mission {slot('ref', REF)} status"),
                _status),),
)
CANARY = Intent(
    name="canary",
    description="a pipeline check: a mission that echoes its params (fail_times makes it fail and retry)",
    mission_type=CanaryAgent.name,
    params=CanaryAgent.Params,
    rules=(Rule("run a canary", "run a canary",
                (r"(?:(?:run|start|launch|send) )?(?:a |an |the )?canary(?: mission| test| run| check)?",),
                _nothing),),
)
HELP = Intent(
    name="help",
    description="list the commands REX knows (answered, no mission)",
    rules=(Rule("help", "help", (r"help|what can you do|(?:list )?(?:the )?commands",), _nothing),),
)
BUILT_IN = (MISSION_STATUS, CANARY, HELP)


def known_intents() -> list[Intent]:
    """The apps' intents in registration order, then the engine's own: the order rules are tried in."""
    apps = registered.all_intents()
    clash = {intent.name for intent in apps} & {intent.name for intent in BUILT_IN}
    if clash:
        raise ImproperlyConfigured(f"intent names reserved by the decision engine: {', '.join(sorted(clash))}")
    return [*apps, *BUILT_IN]


def planned_intents() -> list[Intent]:
    """The intents that plan a mission (what the LLM may answer with)."""
    return [intent for intent in known_intents() if intent.mission_type is not None]


def intent_named(name: str) -> Intent:
    return next(intent for intent in known_intents() if intent.name == name)


def supported_examples() -> list[str]:
    """The examples this server can carry out now: answered at once, or planning a mission an agent handles."""
    return [example for intent in known_intents() if intent.name != "help"
            and (intent.mission_type is None or registry.get(intent.mission_type) is not None)
            for example in intent.examples]


def example_commands() -> list[str]:
    """Shown on the dashboard as clickable suggestions and listed when a command is not understood."""
    return [example for intent in known_intents() if intent.name != "help" for example in intent.examples]
