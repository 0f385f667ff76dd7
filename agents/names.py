"""The things a command names (campaigns, lists, pools, domains, inboxes, missions), resolved at intake.

An agent's params model marks a field that names something of the organization with ``Names(kind)`` in its
annotation (``campaign: Annotated[Name, Names("campaign")]``). The app that owns that kind of thing registers how
to find it (``register_resolver``) in its ``rex_agents.py``: agents sit below every business app and cannot read
their tables, and the missions intake must not import upward either. ``unknown_names`` is what intake calls, in
the transaction that creates the mission, so a name that does not exist is a 400 on the field with a "did you
mean" — never a mission that fails in the worker.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, get_args, get_origin

from pydantic import BaseModel

# How close a known name must be to be suggested (difflib's ratio); 0.6 is difflib's own default.
SUGGESTION_CUTOFF = 0.6


@dataclass(frozen=True)
class Names:
    """Annotation marker: this field names a ``kind`` of thing; ``label`` is how people call it ("client")."""

    kind: str
    label: str = ""


@dataclass(frozen=True)
class Resolver:
    """How an app finds its things: ``exists(organization, value)`` and the names to suggest from."""

    kind: str
    exists: Callable[[Any, str], bool]
    known: Callable[[Any], Iterable[str]]
    # What to tell someone whose name matched nothing (e.g. the command that creates one).
    hint: Callable[[str], str] | None = None


_resolvers: dict[str, Resolver] = {}


def register_resolver(resolver: Resolver) -> Resolver:
    """Register the resolver of one kind; registering again replaces it (an app's module imported twice)."""
    _resolvers[resolver.kind] = resolver
    return resolver


def resolver_of(kind: str) -> Resolver | None:
    return _resolvers.get(kind)


def _marker(annotation: Any) -> Names | None:
    for item in get_args(annotation) if get_origin(annotation) is not None else ():
        if isinstance(item, Names):
            return item
        found = _marker(item)
        if found is not None:
            return found
    return None


def named_fields(model: type[BaseModel]) -> dict[str, Names]:
    """The fields of ``model`` that name a thing, with their marker."""
    found = {}
    for field, info in model.model_fields.items():
        marker = next((item for item in info.metadata if isinstance(item, Names)), None) or _marker(info.annotation)
        if marker is not None:
            found[field] = marker
    return found


def suggestion(value: str, known: Iterable[str]) -> str | None:
    """The known name closest to ``value`` (case-insensitive), if any is close enough."""
    names = {name.lower(): name for name in known}
    close = difflib.get_close_matches(value.lower(), list(names), n=1, cutoff=SUGGESTION_CUTOFF)
    return names[close[0]] if close else None


@dataclass(frozen=True)
class UnknownName:
    """A name in a command that matched nothing: the field, what was given, the closest known name if any."""

    field: str
    label: str
    value: str
    suggestion: str | None
    hint: str = ""

    @property
    def message(self) -> str:
        """"No list named 'nobody'. Did you mean 'cfo-uk'?" (and the kind's hint, e.g. how to create one)."""
        message = f"No {self.label} named '{self.value}'."
        if self.suggestion is not None:
            message += f" Did you mean '{self.suggestion}'?"
        return f"{message} {self.hint}" if self.hint else message


def unknown_names(model: type[BaseModel] | None, params: dict[str, Any], organization: Any) -> list[UnknownName]:
    """Each name in ``params`` the organization has no such thing called; [] when all exist.

    A kind no app registered a resolver for is not checked (its app is not installed here; the agent, if any,
    says so when it runs).
    """
    if model is None:
        return []
    found = []
    for field, marker in named_fields(model).items():
        value = params.get(field)
        resolver = _resolvers.get(marker.kind)
        if not isinstance(value, str) or resolver is None or resolver.exists(organization, value):
            continue
        found.append(UnknownName(field, marker.label or marker.kind, value, suggestion(value, resolver.known(organization)),
                                 resolver.hint(value) if resolver.hint else ""))
    return found
