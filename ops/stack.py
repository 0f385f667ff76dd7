"""The processes of ``rex up`` and the embedded services apps add to it.

Each child runs in its own session so that ``rex up``, not the terminal, decides how and in which order they stop:
web first so no new work arrives, then beat, then the mission worker and the control worker together (a warm
shutdown that lets running missions and ticks finish), then the embedded services (the workers' last tasks may
still use them), Redis last so the others can flush.

An app that needs a local stand-in for an outside service on the embedded stack (the DNS server that serves the
records REX publishes, the SMTP sink that keeps the demo's mail) registers an ``EmbeddedService``; ops starts the
ones whose settings ask for them, before web, worker and beat, which inherit what they add to ``Stack.env``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core.registry import Registry
from ops.net import port_open

STOP_GRACE_SECONDS = 15
# Stopped in this order, the children of one stage together (both workers finish their tasks at the same time
# rather than one after the other); the embedded services and Redis come after.
STOP_STAGES: tuple[tuple[str, ...], ...] = (("web",), ("beat",), ("worker", "control-worker"))
ROLES_STOPPED_FIRST = tuple(name for stage in STOP_STAGES for name in stage)


class Stack:
    """The child processes of ``rex up``."""

    def __init__(self, write: Callable[[str], None], python: str, manage_py: Path) -> None:
        self.write = write
        self.python = python
        self.manage_py = manage_py
        self.children: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.stop_reason: str | None = None
        self.env = dict(os.environ)  # what children see; services add to it before web, worker and beat start

    def start(self, name: str, argv: list[str]) -> subprocess.Popen:
        self.children[name] = subprocess.Popen(argv, start_new_session=True, env=self.env)
        self.write(f"started {name} (pid {self.children[name].pid})")
        return self.children[name]

    def start_command(self, name: str, *args: str) -> subprocess.Popen:
        """Start ``manage.py <args>`` as the child ``name``."""
        return self.start(name, [self.python, str(self.manage_py), *args])

    def wait_until_listening(self, name: str, host: str, port: int, timeout: float = 60) -> None:
        """Wait for the child ``name`` to accept TCP connections; raise if it exits or takes too long."""
        deadline = time.monotonic() + timeout
        while not port_open(host, port, 0.2):
            if self.children[name].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{name} did not start on {host}:{port}")
            time.sleep(0.1)

    def request_stop(self, reason: str) -> None:
        self.stop_reason = reason

    def watch(self) -> int:
        while self.stop_reason is None:
            for name, proc in self.children.items():
                if proc.poll() is not None:
                    self.write(f"{name} exited with {proc.returncode}; stopping the stack")
                    return proc.returncode or 1
            time.sleep(0.3)
        self.write(f"{self.stop_reason} received; stopping the stack")
        return 0

    def stop(self) -> None:
        services = [(name,) for name in self.children if name not in ROLES_STOPPED_FIRST]
        for stage in (*STOP_STAGES, *services):
            terminate_together([proc for name in stage if (proc := self.children.get(name)) is not None])
        if self.redis is not None:
            terminate(self.redis)
        self.children.clear()
        self.redis = None


def terminate_together(procs: list[subprocess.Popen]) -> None:
    """``terminate`` several children at once: all are asked first, so their grace periods overlap."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        terminate(proc)


def terminate(proc: subprocess.Popen) -> None:
    """SIGTERM the leader only (a Celery worker then finishes its running tasks: warm shutdown), wait, then
    SIGKILL whatever is left of its process group."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(STOP_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass


@dataclass(frozen=True)
class EmbeddedService:
    """A local stand-in an app runs beside the embedded stack."""

    name: str
    # Whether the settings (and environment) ask for it: e.g. no outside DNS resolver configured.
    wanted: Callable[[], bool]
    # start(stack, say): start the child through the stack, wait for it, add what the others need to stack.env.
    start: Callable[[Stack, Callable[[str], None]], None]
    order: int = 100


_services: Registry[EmbeddedService] = Registry("embedded service")


def register_embedded_service(service: EmbeddedService) -> None:
    _services.register(service.name, service)


def embedded_services() -> list[EmbeddedService]:
    return sorted((_services[name] for name in _services), key=lambda service: service.order)
