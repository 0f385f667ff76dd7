"""Sub-commands of ``manage.py rex`` that apps above the platform contribute (``rex submit`` is missions').

``rex up`` and ``rex seed`` belong to ops itself; an app registers more in its ``AppConfig.ready`` so that one
command keeps one name for maintainers while ops imports nothing above it.
"""

from __future__ import annotations

from argparse import ArgumentParser
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.management.base import BaseCommand


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    # handle(command, options): writes through command.stdout, raises CommandError with one readable line.
    handle: Callable[[BaseCommand, dict[str, Any]], None]


_subcommands: dict[str, Subcommand] = {}


def register_subcommand(subcommand: Subcommand) -> None:
    existing = _subcommands.get(subcommand.name)
    if existing is not None and existing != subcommand:
        raise ValueError(f"`rex {subcommand.name}` is registered twice")
    _subcommands[subcommand.name] = subcommand


def subcommands() -> list[Subcommand]:
    return [_subcommands[name] for name in sorted(_subcommands)]
