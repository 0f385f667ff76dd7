"""Parts that apps higher up add to a page of a lower app (the dashboard's panels, the Inbox page's sections).

A page cannot import the apps above it, so an app registers a ``PagePart`` in its ``AppConfig.ready``: a template it
owns, the context it computes for the organization, and the static script that keeps it live. The page includes
each part in name order.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.registry import Registry


@dataclass(frozen=True)
class PagePart:
    name: str
    template: str
    context: Callable[[Any], dict[str, Any]]  # the organization → the template's context
    script: str = ""  # a path under static/, e.g. "rex/meetings_panel.js"


class PageParts:
    """The parts one page includes."""

    def __init__(self, what: str) -> None:
        self._parts: Registry[PagePart] = Registry(what)

    def register(self, part: PagePart) -> None:
        self._parts.register(part.name, part)

    def for_organization(self, organization: Any) -> list[dict[str, Any]]:
        """Each registered part with its context for ``organization``, as the page's template includes them."""
        return [{"name": name, "template": self._parts[name].template, "script": self._parts[name].script,
                 "context": self._parts[name].context(organization)} for name in self._parts]
