"""The LLM gateway: every call REX makes to a language model goes through this package.

Three ways in, one set of rules:

- ``complete`` — one chat completion through the OpenAI SDK (optionally validated against a pydantic schema);
- ``run_crew`` — multi-step work through CrewAI (Agent / Task / Crew), imported lazily and with telemetry off;
- ``ask_async`` / ``submit_async`` — an OpenAI background response: the mission is parked as ``waiting`` and
  resumed by ``POST /webhook/llm`` (``agents.webhooks``) when the answer is ready.

The rules: no key configured (or ``REX_LLM_ENABLED`` off) → ``LLMUnavailable``, and callers fall back to rules;
``consent`` is a required keyword of every entry point (the caller states whether the people whose data the
messages carry consented; ``contacts_named_in`` finds the contacts a text names by address or phone, through the
finder the contacts' app registers); no consent → ``pii.LLMConsentMissing`` before anything leaves the building;
personal data is pseudonymised (``<PERSON_1>``, ``<EMAIL_1>`` …) before the model sees it and put back into the
answer before anyone stores or sends it (an answer using a placeholder the call never issued is
``LLMInvalidOutput``); 429, 5xx, timeouts and connection errors are retried honouring ``Retry-After``; every
call writes one ``AgentLog`` row with what the model saw, the waits taken, tokens and cost (``REX_LLM_PRICES``).

Callers import from ``agents.llm`` only; the modules behind it (one concern each, see docs/llm.md) are the
package's own. None of them imports the OpenAI SDK or CrewAI at module level: Django starts without either.
"""

from agents.llm.background import ASYNC_REASON, ask_async, finish_async, record_async_answer, submit_async
from agents.llm.completion import complete
from agents.llm.config import is_available, prepare_crewai_env
from agents.llm.contacts import NamedContact, NamedContacts, contacts_named_in, register_contact_finder
from agents.llm.costs import MICRO_USD, cost_of, usage_for_agent, usage_for_mission
from agents.llm.crew import run_crew
from agents.llm.errors import (
    LLMBudgetExceeded,
    LLMCallFailed,
    LLMInvalidOutput,
    LLMRequestRejected,
    LLMUnavailable,
    MissionNotParkedYet,
    UnknownLLMResponse,
)
from agents.llm.response import LLMResponse

# The name the CrewAI start-up tests (and any process that imports CrewAI itself) have always called.
_prepare_crewai_env = prepare_crewai_env

__all__ = [
    "ASYNC_REASON",
    "MICRO_USD",
    "LLMBudgetExceeded",
    "LLMCallFailed",
    "LLMInvalidOutput",
    "LLMRequestRejected",
    "LLMResponse",
    "LLMUnavailable",
    "MissionNotParkedYet",
    "NamedContact",
    "NamedContacts",
    "UnknownLLMResponse",
    "ask_async",
    "complete",
    "contacts_named_in",
    "cost_of",
    "finish_async",
    "is_available",
    "prepare_crewai_env",
    "record_async_answer",
    "register_contact_finder",
    "run_crew",
    "submit_async",
    "usage_for_agent",
    "usage_for_mission",
]
