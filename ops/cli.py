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

from core.registry import Registry


@dataclass(frozen=True)
class Subcommand:
    name: str
    help: str
    add_arguments: Callable[[ArgumentParser], None]
    # handle(command, options): writes through command.stdout, raises CommandError with one readable line.
    handle: Callable[[BaseCommand, dict[str, Any]], None]


_subcommands: Registry[Subcommand] = Registry("`rex` sub-command")


def register_subcommand(subcommand: Subcommand) -> None:
    _subcommands.register(subcommand.name, subcommand)


def subcommands() -> list[Subcommand]:
    return [_subcommands[name] for name in _subcommands]
