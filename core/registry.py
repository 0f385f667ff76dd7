"""A named registry filled at start-up: apps add their parts in ``AppConfig.ready`` (live streams, batch senders,
``rex`` sub-commands, demo seeds, embedded services).

Registering the same thing twice is harmless (``ready`` may run again in a test); two different things under one
name stop start-up with a clear error instead of one silently replacing the other.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Generic, TypeVar

T = TypeVar("T")


class Registry(Generic[T]):
    def __init__(self, what: str) -> None:
        self.what = what  # how the error names an entry: "live stream", "`rex` sub-command", ...
        self.entries: dict[str, T] = {}

    def register(self, name: str, entry: T) -> T:
        existing = self.entries.get(name)
        if existing is not None and existing != entry:
            raise ValueError(f"two different {self.what}s are registered as {name!r}")
        self.entries[name] = entry
        return entry

    def __contains__(self, name: object) -> bool:
        return name in self.entries

    def __getitem__(self, name: str) -> T:
        return self.entries[name]

    def __iter__(self) -> Iterator[str]:
        """The names, sorted: registration order depends on app order, and nothing should."""
        return iter(sorted(self.entries))
