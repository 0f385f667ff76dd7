"""Agents come from each installed app's ``rex_agents`` module plus REX_AGENTS; a bad path is a clear error."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from agents import registry
from agents.canary import CanaryAgent

pytestmark = pytest.mark.usefixtures("restore_registry")


def test_the_canary_is_registered_by_the_agents_apps_module():
    assert isinstance(registry.get("canary"), CanaryAgent)
    assert "canary" in registry.names()


def test_loading_again_is_harmless():
    registry.load()
    assert registry.names().count("canary") == 1


def test_an_unimportable_rex_agents_path_names_the_path(settings):
    settings.REX_AGENTS = ["agents.nowhere.GhostAgent"]

    with pytest.raises(ImproperlyConfigured, match=r"REX_AGENTS names 'agents.nowhere.GhostAgent'"):
        registry.load()


def test_an_agent_without_a_version_is_refused():
    class Unversioned(CanaryAgent):
        name = "test_unversioned"
        version = ""

    with pytest.raises(ImproperlyConfigured, match="has no version"):
        registry.register(Unversioned)
