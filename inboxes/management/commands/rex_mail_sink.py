"""Run the local mail sink (`rex up` does this for you), or list what it received."""

from __future__ import annotations

import signal
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from inboxes.mail_sink import read_sink, start_sink


class Command(BaseCommand):
    help = "Run an SMTP server on 127.0.0.1 that keeps every message under var/mail/ (or --list them)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=2525)
        parser.add_argument("--dir", default="", help="Where messages are kept (default $REX_VAR_DIR/mail).")
        parser.add_argument("--list", action="store_true", help="Print the newest messages and exit.")
        parser.add_argument("--limit", type=int, default=20)

    def handle(self, *args: Any, **options: Any) -> None:
        directory = Path(options["dir"] or Path(settings.VAR_DIR) / "mail")
        if options["list"]:
            if not directory.is_dir():
                raise CommandError(f"no mail sink directory at {directory}")
            for message in read_sink(directory, options["limit"]):
                self.stdout.write(f"{message.path.name}  to={message.envelope_to}  from={message.sender}  "
                                  f"subject={message.subject!r}")
            return
        try:
            controller = start_sink(directory, options["host"], options["port"])
        except OSError as exc:
            raise CommandError(f"cannot listen on {options['host']}:{options['port']}: {exc}") from exc
        stop = threading.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: stop.set())
        self.stdout.write(f"mail sink listening on {options['host']}:{options['port']}, keeping messages in {directory}")
        self.stdout.flush()
        stop.wait()
        controller.stop()
