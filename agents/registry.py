"""The agent registry: every agent class by unique name, loaded from ``settings.REX_AGENTS``."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from agents.base import BaseAgent

_agents: dict[str, BaseAgent] = {}


def register(agent_class: type[BaseAgent]) -> None:
    name = getattr(agent_class, "name", None)
    if not name:
        raise ImproperlyConfigured(f"{agent_class.__module__}.{agent_class.__qualname__} has no name")
    existing = _agents.get(name)
    if existing is not None and type(existing) is not agent_class:
        raise ImproperlyConfigured(
            f"two agents are named {name!r}: {type(existing).__module__}.{type(existing).__qualname__} and "
            f"{agent_class.__module__}.{agent_class.__qualname__}"
        )
    _agents[name] = agent_class()


def load() -> None:
    for path in settings.REX_AGENTS:
        register(import_string(path))


def get(name: str) -> BaseAgent | None:
    return _agents.get(name)


def names() -> list[str]:
    return sorted(_agents)


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
