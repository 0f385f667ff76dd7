"""``manage.py rex``: run the whole stack, seed the demo, submit a mission.

    manage.py rex up       migrate, seed, then run daphne + Celery worker + beat (and the embedded Redis when
                           REDIS_URL is unset, and the local DNS server when REX_DNS_PROVIDER is "local" and
                           REX_DNS_NAMESERVERS is empty) until Ctrl-C / SIGTERM, which stops every child
    manage.py rex seed     create or refresh the demo organization, user and missions
    manage.py rex submit   submit one mission, e.g. ``rex submit canary --params '{"fail_times": 2}' --wait``
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from rex_project.celery import ALL_QUEUES

STOP_GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Run the REX stack (up), seed the demo (seed), or submit a mission (submit)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        up = sub.add_parser("up", help="migrate, seed and run web + worker + beat")
        up.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
        up.add_argument("--host", default=os.environ.get("REX_HOST", "127.0.0.1"))
        up.add_argument("--concurrency", type=int, default=int(os.environ.get("REX_WORKER_CONCURRENCY", "2")))
        up.add_argument("--no-seed", action="store_true", help="skip the demo seed")
        sub.add_parser("seed", help="create or refresh the demo data (idempotent)")
        submit = sub.add_parser("submit", help="submit one mission")
        submit.add_argument("type")
        submit.add_argument("--params", default="{}", help="JSON object")
        submit.add_argument("--priority", default="normal", choices=["high", "normal", "low"])
        submit.add_argument("--org", default=None, help="organization slug (default: the only one)")
        submit.add_argument("--idempotency-key", default=None)
        submit.add_argument("--wait", type=float, default=0, help="seconds to wait for the mission to finish")

    def handle(self, *args: Any, **options: Any) -> None:
        {"up": self.up, "seed": self.seed, "submit": self.submit}[options["action"]](options)

    # --- seed -----------------------------------------------------------------------------------------------------
    def seed(self, options: dict[str, Any]) -> None:
        from missions.seed import seed_demo

        report = seed_demo(os.environ.get("REX_DEMO_PASSWORD"))
        self.stdout.write(
            f"demo organization {report.organization.slug!r}; user {report.username!r} / password "
            f"{report.password!r} ({report.password_source}); {report.missions_created} demo mission(s), "
            f"{report.domains_created} domain(s), {report.contacts_created} contact(s) created"
        )

    # --- submit ---------------------------------------------------------------------------------------------------
    def submit(self, options: dict[str, Any]) -> None:
        from missions.models import Mission
        from missions.services import CommandRejected, submit_mission
        from tenants.models import Organization

        try:
            params = json.loads(options["params"])
        except json.JSONDecodeError as exc:
            raise CommandError(f"--params is not valid JSON: {exc}") from exc
        orgs = Organization.objects.all()
        if options["org"]:
            orgs = orgs.filter(slug=options["org"])
        candidates = list(orgs[:2])
        if not candidates:
            raise CommandError(f"no organization {options['org']!r}" if options["org"] else "no organization yet; "
                               "run `manage.py rex seed` or create one in the admin")
        if len(candidates) > 1:
            raise CommandError("several organizations exist; name one with --org SLUG")
        try:
            submission = submit_mission(candidates[0], mission_type=options["type"], params=params,
                                        priority=options["priority"], idempotency_key=options["idempotency_key"])
        except CommandRejected as exc:
            raise CommandError("; ".join(f"{field}: {msgs}" for field, msgs in exc.errors.items())) from exc
        mission = submission.mission
        self.stdout.write(f"{'created' if submission.created else 'existing'} mission {mission.id} ({mission.status})")
        deadline = time.monotonic() + options["wait"]
        while options["wait"] and time.monotonic() < deadline and not mission.is_final:
            time.sleep(0.2)
            mission = Mission.objects.get(pk=mission.pk)
        if options["wait"]:
            self.stdout.write(f"mission {mission.id} is {mission.status}")
            if not mission.is_final:
                raise CommandError(f"mission {mission.id} still {mission.status} after {options['wait']:g} s")

    def say(self, line: str) -> None:
        # Flushed at once: when stdout is a file (CI, systemd) the PIDs and the URL must be readable right away.
        self.stdout.write(line)
        self.stdout.flush()

    # --- up -------------------------------------------------------------------------------------------------------
    def up(self, options: dict[str, Any]) -> None:
        stack = Stack(self.say)
        signal.signal(signal.SIGTERM, lambda *_: stack.request_stop("SIGTERM"))
        signal.signal(signal.SIGINT, lambda *_: stack.request_stop("SIGINT"))
        code = 0
        try:
            if settings.EMBEDDED_REDIS:
                from rex_project.embedded import start_redis

                stack.redis = start_redis(settings.VAR_DIR, settings.REDIS_SOCKET_PATH)
                self.say(f"embedded redis on {settings.REDIS_SOCKET_PATH} (pid {stack.redis.pid})")
            call_command("migrate", interactive=False, verbosity=0)
            python = sys.executable
            if settings.REX_DNS_PROVIDER == "local" and not settings.REX_DNS_NAMESERVERS:
                self.start_local_dns(stack, python)
            if not os.environ.get("REX_MAIL_SINK"):
                self.start_mail_sink(stack, python)
            if not os.environ.get("REX_PUBLIC_BASE_URL"):
                # Unsubscribe links in the demo's emails point at this server, so they can be tried out.
                stack.env["REX_PUBLIC_BASE_URL"] = f"http://{options['host']}:{options['port']}"
            if not options["no_seed"]:
                self.seed(options)
            stack.start("web", [python, "-m", "daphne", "-b", options["host"], "-p", str(options["port"]),
                                "--proxy-headers", "rex_project.asgi:application"])
            stack.start("worker", [python, "-m", "celery", "-A", "rex_project", "worker", "-Q", ",".join(ALL_QUEUES),
                                   "-c", str(options["concurrency"]), "-n", "rex@%h", "--loglevel", "INFO"])
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

    def start_local_dns(self, stack: Stack, python: str) -> None:
        """Serve the locally published DNS records and point every process's DNS checks at that server."""
        from domains.dns_server import pick_dns_port

        wanted = settings.REX_LOCAL_DNS_PORT
        port = pick_dns_port("127.0.0.1", wanted)
        if port != wanted:
            self.say(f"port {wanted} is taken (UDP or TCP); the local DNS server uses 127.0.0.1:{port} instead")
        stack.start("dns", [python, str(settings.BASE_DIR / "manage.py"), "rex_dns_serve", "--host", "127.0.0.1",
                            "--port", str(port)])
        deadline = time.monotonic() + 60
        while not _accepts_tcp("127.0.0.1", port):
            if stack.children["dns"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local DNS server did not start on 127.0.0.1:{port}")
            time.sleep(0.1)
        nameserver = f"127.0.0.1:{port}"
        stack.env["REX_DNS_NAMESERVERS"] = nameserver  # the web, worker and beat started next inherit it
        settings.REX_DNS_NAMESERVERS = [nameserver]


    def start_mail_sink(self, stack: Stack, python: str) -> None:
        """Run the local SMTP sink and deliver every SMTP send there: a demo never mails the internet."""
        from rex_project.testenv import free_port, port_open

        port = free_port()
        stack.start("mail", [python, str(settings.BASE_DIR / "manage.py"), "rex_mail_sink", "--host", "127.0.0.1",
                             "--port", str(port)])
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", port, 0.2):
            if stack.children["mail"].poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the local mail sink did not start on 127.0.0.1:{port}")
            time.sleep(0.1)
        stack.env["REX_MAIL_SINK"] = settings.REX_MAIL_SINK = f"127.0.0.1:{port}"
        self.say(f"mail sink on 127.0.0.1:{port}: every email is kept in {settings.VAR_DIR / 'mail'} "
                 "(manage.py rex_mail_sink --list)")


class Stack:
    """The child processes of `rex up`: each in its own session so that we, not the terminal, decide how and
    in which order they stop (web first so no new work arrives, Redis last so the others can flush)."""

    def __init__(self, write) -> None:
        self.write = write
        self.children: dict[str, subprocess.Popen] = {}
        self.redis: subprocess.Popen | None = None
        self.stop_reason: str | None = None
        self.env = dict(os.environ)  # what children see; `up` adds to it (REX_DNS_NAMESERVERS) before starting them

    def start(self, name: str, argv: list[str]) -> None:
        self.children[name] = subprocess.Popen(argv, start_new_session=True, env=self.env)
        self.write(f"started {name} (pid {self.children[name].pid})")

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
        # The DNS server after the worker, whose running tasks may still check DNS while they finish.
        order = [self.children.get(n) for n in ("web", "beat", "worker", "dns", "mail")] + [self.redis]
        for proc in filter(None, order):
            _terminate(proc)
        self.children.clear()
        self.redis = None


def _accepts_tcp(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.2):
            return True
    except OSError:
        return False


def _terminate(proc: subprocess.Popen) -> None:
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
    proc.wait()
