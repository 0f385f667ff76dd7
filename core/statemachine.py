"""One pattern for every state machine (missions, purchases, LLM requests, domains, enrollments to come).

A model declares its moves once as a ``StateMachine`` (a transition table on the model's status field) and
changes state only in its own methods, through ``StateMachine.move``: one conditional ``UPDATE … WHERE pk = …
AND <status> = <the state it was read in>`` whose row count says whether this caller won. The audit row and the
live event are written by the model's ``on_transition`` hook inside the same transaction, so a move, its trail
and its broadcast commit (or roll back) together; the broadcast itself leaves only after commit (``live``).

Why not django-fsm or a library: the spine needs ``UPDATE … RETURNING`` and batch moves in one statement, which
those do not offer, and the table plus one method is all the pattern needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction


class IllegalTransition(Exception):
    """A move the table forbids, or one that lost the race (another actor moved the row first).

    The message names the subject, the state it is really in, and where it may go from there.
    """

    def __init__(self, subject: Any, current: str, target: str, allowed: Iterable[str] = (), *,
                 message: str = "") -> None:
        allowed_text = ", ".join(sorted(allowed)) or "nothing (final state)"
        super().__init__(message or f"{subject} cannot go from {current} to {target}; "
                                    f"from {current} it may go to {allowed_text}")
        self.subject, self.current, self.target = subject, current, target


@dataclass(frozen=True)
class StateMachine:
    """A model's transition table: which states may follow which, on the model field ``field``."""

    field: str
    table: Mapping[str, frozenset[str]]
    error: type[IllegalTransition] = IllegalTransition
    # States reachable from each state, precomputed the other way round for conditional updates.
    _sources: dict[str, frozenset[str]] = field(default_factory=dict, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        unknown = {target for targets in self.table.values() for target in targets} - set(self.table)
        if unknown:
            raise ValueError(f"transition table names states it does not declare: {sorted(unknown)}")
        sources: dict[str, set[str]] = {state: set() for state in self.table}
        for source, targets in self.table.items():
            for target in targets:
                sources[target].add(source)
        self._sources.update({state: frozenset(found) for state, found in sources.items()})

    @property
    def states(self) -> frozenset[str]:
        return frozenset(self.table)

    @property
    def final_states(self) -> frozenset[str]:
        return frozenset(state for state, targets in self.table.items() if not targets)

    def allowed(self, current: str) -> frozenset[str]:
        return self.table.get(current, frozenset())

    def sources(self, target: str) -> frozenset[str]:
        """The states from which ``target`` may be reached (for a conditional update of many rows at once)."""
        return self._sources.get(target, frozenset())

    def may(self, current: str, target: str) -> bool:
        return target in self.allowed(current)

    def check(self, subject: Any, current: str, target: str) -> None:
        """Raise the machine's ``IllegalTransition`` if the table forbids ``current → target``."""
        if not self.may(current, target):
            raise self.error(subject, current, target, self.allowed(current))

    def move(self, instance: models.Model, target: str, *, updates: Mapping[str, Any] | None = None,
             condition: models.Q | None = None,
             on_transition: Callable[[str, str], Any] | None = None) -> bool:
        """Move ``instance`` to ``target`` if its row is still in the state it was read in (and ``condition``).

        The table is checked first (a forbidden move raises). Returns False when another actor changed the row
        first; the caller decides whether that is an error. On success the instance holds the written values and
        ``on_transition(from_state, to_state)`` runs in the same transaction (the audit row, the live event).
        ``updates`` may hold expressions (``F()``); their fields are read back from the database.
        """
        current = getattr(instance, self.field)
        self.check(instance, current, target)
        values = {self.field: target, **(updates or {})}
        query = type(instance)._default_manager.filter(pk=instance.pk, **{self.field: current})
        if condition is not None:
            query = query.filter(condition)
        with transaction.atomic(savepoint=False):
            if not query.update(**values):
                return False
            expressions = [name for name, value in values.items() if hasattr(value, "resolve_expression")]
            for name, value in values.items():
                if name not in expressions:
                    setattr(instance, name, value)
            if expressions:
                instance.refresh_from_db(fields=expressions)
            if on_transition is not None:
                on_transition(current, target)
        return True
