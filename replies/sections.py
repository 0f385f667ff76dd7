"""Sections that apps above replies add to the Inbox page (``/inbox/``), registered in their ``AppConfig.ready``.

The Inbox page cannot import the apps above it (meetings sits above replies), so it mirrors the dashboard's
``missions.panels``: an app registers an ``InboxSection`` (a template it owns, the context it computes for the
organization, and the static script that keeps it live), and the page includes each one above the replies, in
name order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Registry
from tenants.models import Organization


@dataclass(frozen=True)
class InboxSection:
    name: str
    template: str
    context: Callable[[Organization], dict[str, Any]]
    script: str = ""  # a path under static/, e.g. "rex/meeting_drafts.js"


_sections: Registry[InboxSection] = Registry("inbox section")


def register_section(section: InboxSection) -> None:
    _sections.register(section.name, section)


def sections_for(organization: Organization) -> list[dict[str, Any]]:
    """Each registered section with its context for ``organization``, as the Inbox template includes them."""
    return [{"name": name, "template": _sections[name].template, "script": _sections[name].script,
             "context": _sections[name].context(organization)} for name in _sections]
