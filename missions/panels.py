"""Panels that apps above missions add to the dashboard (``/``), registered in their ``AppConfig.ready``.

The dashboard knows no sales vocabulary: an app registers a ``DashboardPanel`` (a template it owns, the context
it computes for the organization, and the static script that keeps it live), and the page includes each one
after the missions list, in name order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Registry
from tenants.models import Organization


@dataclass(frozen=True)
class DashboardPanel:
    name: str
    template: str
    context: Callable[[Organization], dict[str, Any]]
    script: str = ""  # a path under static/, e.g. "rex/meetings_panel.js"


_panels: Registry[DashboardPanel] = Registry("dashboard panel")


def register_panel(panel: DashboardPanel) -> None:
    _panels.register(panel.name, panel)


def panels_for(organization: Organization) -> list[dict[str, Any]]:
    """Each registered panel with its context for ``organization``, as the dashboard template includes them."""
    return [{"name": name, "template": _panels[name].template, "script": _panels[name].script,
             "context": _panels[name].context(organization)} for name in _panels]
