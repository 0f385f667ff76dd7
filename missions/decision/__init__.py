"""The decision engine: a command becomes missions (or an answer) in three layers.

1. **structured** — a JSON request naming the mission type and params is taken as it is (plain logic).
2. **rules** — free text is matched against a small grammar of the commands REX knows (``RULES``); a text one
   small edit away from one of them is refused with "did you mean …?", deterministically and without the LLM.
3. **llm** — any other text is sent to the LLM, which must answer with a ``CommandPlan``; the plan is validated
   (schema, params per mission type, dates) before anything runs, and an invalid plan runs nothing.

``decide`` only decides; ``do_command`` carries the decision out (missions in one transaction) and records every
decision, accepted or not, as a ``CommandDecision`` so ``layer_share`` can say which layer does the work.
One concern per module:

- ``model``: what a decision is (``Decision``, ``MissionSpec``, ``DecisionRejected``);
- ``plan``: the params models and the ``CommandPlan`` the LLM answers with;
- ``grammar``: tidying a text and reading it with the rules; ``near_miss``: "did you mean …?";
- ``queries``: questions answered without a mission; ``layers``: the three layers and ``decide``;
- ``intake``: ``do_command``; ``recording``: ``CommandDecision`` rows and ``layer_share``.

See docs/decision-engine.md.
"""

from missions.decision.grammar import EXAMPLE_COMMANDS, RULES, Rule, match_rules, normalize
from missions.decision.intake import CommandResult, check_agents_installed, do_command, flatten_errors
from missions.decision.layers import decide, decide_by_llm, decide_by_rules, decide_structured, planner_prompt
from missions.decision.model import LAYERS, Decision, DecisionRejected, MissionSpec, describe, reject, shorten
from missions.decision.near_miss import known_commands_message, near_miss
from missions.decision.plan import INTENTS, CommandPlan, clean_params, params_model_of, readable_errors
from missions.decision.queries import find_mission, mission_status_answer
from missions.decision.recording import layer_share, record_decision, record_rejection

__all__ = [
    "EXAMPLE_COMMANDS", "INTENTS", "LAYERS", "RULES", "CommandPlan", "CommandResult", "Decision",
    "DecisionRejected", "MissionSpec", "Rule", "check_agents_installed", "clean_params", "decide", "decide_by_llm",
    "decide_by_rules", "decide_structured", "describe", "do_command", "find_mission", "flatten_errors",
    "known_commands_message", "layer_share", "match_rules", "mission_status_answer", "near_miss", "normalize",
    "params_model_of", "planner_prompt", "readable_errors", "record_decision", "record_rejection", "reject", "shorten",
]
