"""The decision engine: a command becomes missions (or an answer) in three layers.

1. **structured** — a JSON request naming the mission type and params is taken as it is (plain logic).
2. **rules** — free text is matched against the grammar rules the apps register with their intents
   (``agents.intents``); a text one small edit away from one of them is refused with "did you mean …?",
   deterministically and without the LLM.
3. **llm** — any other text is sent to the LLM, which must answer with a ``CommandPlan`` built from the
   registered intents; the plan is validated (schema, each agent's params model, dates) before anything runs,
   and an invalid plan runs nothing.

``decide`` only decides; ``do_command`` carries the decision out (missions in one transaction) and records every
decision, accepted or not, as a ``CommandDecision`` so ``layer_share`` can say which layer does the work.
The engine knows how to read, repair and plan commands, not what they are about: the apps own their intents.
One concern per module:

- ``model``: what a decision is (``Decision``, ``MissionSpec``, ``DecisionRejected``);
- ``intents``: the intents the engine knows (the apps', then its own: status, canary, help);
- ``plan``: params per mission type and the ``CommandPlan`` the LLM answers with;
- ``grammar``: tidying a text and reading it with the rules; ``near_miss``: "did you mean …?";
- ``queries``: questions answered without a mission; ``layers``: the three layers and ``decide``;
- ``intake``: ``do_command``; ``recording``: ``CommandDecision`` rows and ``layer_share``.

See docs/decision-engine.md.
"""

from typing import Any

from missions.decision.grammar import Reading, match, match_rules, normalize, phrase
from missions.decision.intake import (
    BatchResult,
    CommandResult,
    check_agents_installed,
    do_command,
    do_commands,
    flatten_errors,
    refuse_unstorable,
)
from missions.decision.intents import example_commands, intent_named, known_intents, planned_intents
from missions.decision.layers import decide, decide_by_llm, decide_by_rules, decide_structured, planner_prompt
from missions.decision.model import LAYERS, Decision, DecisionRejected, MissionSpec, describe, reject, shorten
from missions.decision.near_miss import known_commands_message, near_miss
from missions.decision.plan import clean_params, command_plan, params_model_of, readable_errors
from missions.decision.queries import find_mission, mission_status_answer
from missions.decision.recording import layer_share, record_decision, record_rejection

__all__ = [
    "EXAMPLE_COMMANDS", "INTENTS", "LAYERS", "RULES", "BatchResult", "CommandPlan", "CommandResult", "Decision",
    "DecisionRejected", "MissionSpec", "Reading", "check_agents_installed", "clean_params", "command_plan", "decide",
    "decide_by_llm", "decide_by_rules", "decide_structured", "describe", "do_command", "do_commands", "example_commands",
    "find_mission", "flatten_errors", "intent_named", "known_commands_message", "known_intents", "layer_share",
    "match", "match_rules", "mission_status_answer", "near_miss", "normalize", "params_model_of", "phrase",
    "planned_intents", "planner_prompt", "readable_errors", "record_decision", "record_rejection",
    "refuse_unstorable",
    "reject", "shorten",
]


def __getattr__(name: str) -> Any:
    """The names that used to be module constants, computed from the registered intents when asked for.

    Computed, not frozen at import: the apps register their intents at start-up, possibly after this import.
    """
    if name == "EXAMPLE_COMMANDS":
        return example_commands()
    if name == "INTENTS":
        return {intent.name: intent for intent in known_intents()}
    if name == "RULES":
        return tuple(rule for intent in known_intents() for rule in intent.rules)
    if name == "CommandPlan":
        return command_plan()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
