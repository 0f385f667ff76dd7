"""The agent registry: every agent class by unique name.

Installed apps declare their agents in a ``rex_agents.py`` module that calls ``register``; ``settings.REX_AGENTS``
adds classes by dotted path. Both are loaded at start-up (``AgentsConfig.ready``), so two different classes with
one name stop every process (web, worker, beat) with a clear error instead of one silently replacing the other.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import autodiscover_modules, import_string
from pydantic import BaseModel

from agents.base import BaseAgent

_agents: dict[str, BaseAgent] = {}


def register(agent_class: type[BaseAgent]) -> type[BaseAgent]:
    """Register an agent class (usable as a class decorator); the same class twice is harmless."""
    name = getattr(agent_class, "name", None)
    if not name:
        raise ImproperlyConfigured(f"{agent_class.__module__}.{agent_class.__qualname__} has no name")
    version = getattr(agent_class, "version", None)
    if not version:
        raise ImproperlyConfigured(f"agent {name!r} has no version")
    check_params(agent_class)
    existing = _agents.get(name)
    if existing is not None and type(existing) is not agent_class:
        raise ImproperlyConfigured(
            f"two agents are named {name!r}: {type(existing).__module__}.{type(existing).__qualname__} "
            f"(v{existing.version}) and {agent_class.__module__}.{agent_class.__qualname__} (v{version})"
        )
    _agents[name] = agent_class()
    return agent_class


def check_params(agent_class: type[BaseAgent]) -> None:
    """An agent's params are one pydantic model that forbids unknown fields, or none at all.

    A ``params_serializer`` (how agents declared params before) would be silently ignored now: refuse it, so an
    agent written against the old API fails at start-up instead of accepting anything.
    """
    where = f"{agent_class.__module__}.{agent_class.__qualname__}"
    if getattr(agent_class, "params_serializer", None) is not None:
        raise ImproperlyConfigured(f"{where} declares params_serializer; declare `Params`, a pydantic model "
                                   "(agents.params.AgentParams), instead")
    params = getattr(agent_class, "Params", None)
    if params is None:
        return
    if not (isinstance(params, type) and issubclass(params, BaseModel)):
        raise ImproperlyConfigured(f"{where}.Params must be a pydantic model (agents.params.AgentParams)")
    if params.model_config.get("extra") != "forbid":
        raise ImproperlyConfigured(f"{where}.Params must forbid unknown fields (extra='forbid'): a planned field "
                                   "the agent does not know is a misunderstanding")


def unregister(name: str) -> None:
    """Remove an agent (tests that register a throwaway agent clean up with this)."""
    _agents.pop(name, None)


def load() -> None:
    autodiscover_modules("rex_agents")
    for path in settings.REX_AGENTS:
        try:
            agent_class = import_string(path)
        except ImportError as exc:
            raise ImproperlyConfigured(f"REX_AGENTS names {path!r}, which cannot be imported: {exc}") from exc
        register(agent_class)


def get(name: str) -> BaseAgent | None:
    return _agents.get(name)


def names() -> list[str]:
    return sorted(_agents)


def all_agents() -> list[BaseAgent]:
    return [_agents[name] for name in names()]


def sync_rows() -> None:
    """Make the Agent table list every registered agent at its current version (keeps `enabled` as ops set it)."""
    from agents.models import Agent

    for name, agent in _agents.items():
        Agent.objects.update_or_create(
            name=name, defaults={"version": agent.version, "description": agent.description}
        )


def is_enabled(name: str) -> bool:
    from agents.models import Agent

    row = Agent.objects.filter(name=name).values_list("enabled", flat=True).first()
    return True if row is None else row


def enabled_among(names: Iterable[str]) -> dict[str, bool]:
    """``is_enabled`` for several agents in one query (a batch of commands asks once, not once per item)."""
    from agents.models import Agent

    wanted = set(names)
    flags = dict(Agent.objects.filter(name__in=wanted).values_list("name", "enabled"))
    return {name: flags.get(name, True) for name in wanted}
