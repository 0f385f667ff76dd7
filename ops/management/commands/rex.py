"""``manage.py rex``: run the whole stack, seed the demo, submit a mission.

    manage.py rex up       migrate, seed, then run the web server (gunicorn + uvicorn workers, ops/webserver.py),
                           the mission and control Celery workers and beat (and the embedded Redis when REDIS_URL
                           is unset, and the embedded services apps register in ``ops.stack``: the local DNS
                           server, the mail sink) until Ctrl-C / SIGTERM, which stops every child
    manage.py rex seed     create or refresh the demo organization, user and missions
    manage.py rex submit   submit one mission, e.g. ``rex submit canary --params '{"fail_times": 2}' --wait``
                           (contributed by missions through ``ops.cli``, like any app's sub-command)
"""

from __future__ import annotations

import os
import signal
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.cli import subcommands
from ops.stack import Stack, embedded_services
from rex_project.celery import DEFAULT_CONTROL_CONCURRENCY, worker_argv


class Command(BaseCommand):
    help = "Run the REX stack (up), seed the demo (seed), or submit a mission (submit)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        up = sub.add_parser("up", help="migrate, seed and run web + mission and control workers + beat")
        up.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        up.add_argument("--host", default=os.environ.get("REX_HOST", "127.0.0.1"))
        up.add_argument("--concurrency", type=int, default=None,
                        help="pool processes of the mission worker (default: REX_WORKER_CONCURRENCY, or 2)")
        up.add_argument("--control-concurrency", type=int, default=None,
                        help="pool processes of the control worker: sweeper, ticks (default: REX_CONTROL_CONCURRENCY, "
                             f"or {DEFAULT_CONTROL_CONCURRENCY})")
        up.add_argument("--no-seed", action="store_true", help="skip the demo seed")
        sub.add_parser("seed", help="create or refresh the demo data (idempotent)")
        for extra in subcommands():
            extra.add_arguments(sub.add_parser(extra.name, help=extra.help))

    def handle(self, *args: Any, **options: Any) -> None:
        builtin = {"up": self.up, "seed": self.seed}
        if options["action"] in builtin:
            builtin[options["action"]](options)
            return
        {extra.name: extra for extra in subcommands()}[options["action"]].handle(self, options)

    # --- seed -----------------------------------------------------------------------------------------------------
    def seed(self, options: dict[str, Any]) -> None:
        from ops.seed import seed_demo

        self.stdout.write(seed_demo(os.environ.get("REX_DEMO_PASSWORD")).summary())

    def say(self, line: str) -> None:
        # Flushed at once: when stdout is a file (CI, systemd) the PIDs and the URL must be readable right away.
        self.stdout.write(line)
        self.stdout.flush()

    # --- up -------------------------------------------------------------------------------------------------------
    def up(self, options: dict[str, Any]) -> None:
        # Checked before anything starts, so a typo in the environment is one line, not a half-started stack.
        concurrency = _pool_size(options["concurrency"], "REX_WORKER_CONCURRENCY", 2)
        control_concurrency = _pool_size(options["control_concurrency"], "REX_CONTROL_CONCURRENCY",
                                         DEFAULT_CONTROL_CONCURRENCY)
        stack = Stack(self.say, sys.executable, settings.BASE_DIR / "manage.py")
        signal.signal(signal.SIGTERM, lambda *_: stack.request_stop("SIGTERM"))
        signal.signal(signal.SIGINT, lambda *_: stack.request_stop("SIGINT"))
        code = 0
        try:
            if settings.EMBEDDED_REDIS:
                from ops.embedded import start_redis

                stack.redis = start_redis(settings.VAR_DIR, settings.REDIS_SOCKET_PATH)
                self.say(f"embedded redis on {settings.REDIS_SOCKET_PATH} (pid {stack.redis.pid})")
            call_command("migrate", interactive=False, verbosity=0)
            python = sys.executable
            for service in embedded_services():
                if service.wanted():
                    service.start(stack, self.say)
            if not os.environ.get("REX_PUBLIC_BASE_URL"):
                # Unsubscribe links in the demo's emails point at this server, so they can be tried out.
                stack.env["REX_PUBLIC_BASE_URL"] = f"http://{options['host']}:{options['port']}"
            if not options["no_seed"]:
                self.seed(options)
            # The production web role (ops/webserver.py): gunicorn forking uvicorn workers, REX_WEB_WORKERS of them.
            stack.start("web", [python, "-m", "gunicorn", "-c", "python:ops.webserver",
                                "-b", f"{options['host']}:{options['port']}", "rex_project.asgi:application"])
            # Two workers: missions, and control work (sweeps, ticks) that must never wait behind a mission backlog.
            stack.start("worker", [*worker_argv("mission", concurrency=concurrency, python=python),
                                   "--loglevel", "INFO"])
            stack.start("control-worker", [*worker_argv("control", concurrency=control_concurrency,
                                                        python=python), "--loglevel", "INFO"])
            stack.start("beat", [python, "-m", "celery", "-A", "rex_project", "beat", "--loglevel", "INFO",
                                 "-s", str(settings.VAR_DIR / "celerybeat-schedule")])
            self.say(f"REX is up: http://{options['host']}:{options['port']}/  (Ctrl-C stops everything)")
            code = stack.watch()
        except Exception as exc:
            stack.stop()
            raise CommandError(str(exc)) from exc
        stack.stop()
        if code:
            raise CommandError(f"a process of the stack exited unexpectedly (exit {code}); everything was stopped")


def _pool_size(given: int | None, variable: str, default: int) -> int:
    """A worker's pool size: the option, else the environment variable, else the default; at least 1."""
    if given is None:
        raw = os.environ.get(variable, "").strip()
        try:
            given = int(raw) if raw else default
        except ValueError:
            raise CommandError(f"{variable} must be a whole number of worker processes, not {raw!r}") from None
    if given < 1:
        raise CommandError(f"a worker needs at least 1 process ({variable} or its option is {given})")
    return given
