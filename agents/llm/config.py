"""Whether an LLM may be called at all, and the environment CrewAI needs before it is imported.

Nothing here imports the OpenAI SDK or CrewAI: ``is_available`` is called on every command the decision engine
cannot place, and Django must start without either library loaded.
"""

from __future__ import annotations

import os

from django.conf import settings

from agents.llm.errors import LLMUnavailable


def is_available() -> bool:
    """Whether an LLM may be called at all (cheap: reads settings, imports nothing)."""
    return bool(settings.REX_LLM_ENABLED and settings.OPENAI_API_KEY)


def check_available() -> None:
    """Raise ``LLMUnavailable`` naming why (disabled, or no key): callers fall back to the rules."""
    if not settings.REX_LLM_ENABLED:
        raise LLMUnavailable("the LLM is disabled (REX_LLM_ENABLED=false)")
    if not settings.OPENAI_API_KEY:
        raise LLMUnavailable("no LLM configured (OPENAI_API_KEY is empty)")


def check_consent(consent: bool) -> None:
    """Refuse before anything leaves the building when the contact did not consent to LLM processing."""
    if not consent:
        from agents.pii import LLMConsentMissing

        raise LLMConsentMissing("the contact has not consented to LLM processing; the LLM step is skipped")


def prepare_crewai_env() -> None:
    """Set CrewAI's environment before it is imported: telemetry, tracing and the version check off, storage in var/.

    Telemetry would add seconds at exit and replace the SIGTERM handler of the process (fatal in Celery and daphne).
    ``setdefault``: an operator's explicit environment wins.
    """
    for name, value in settings.CREWAI_ENV.items():
        os.environ.setdefault(name, str(value))
    os.makedirs(os.environ["CREWAI_STORAGE_DIR"], exist_ok=True)
