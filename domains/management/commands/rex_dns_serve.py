"""``manage.py rex_dns_serve``: serve the DNS records the local provider published, until SIGTERM or Ctrl-C.

    manage.py rex_dns_serve [--host 127.0.0.1] [--port 5353] [-v 2 to log every query]

``rex up`` starts it (when REX_DNS_PROVIDER is "local" and REX_DNS_NAMESERVERS is empty) and points the other
processes' DNS checks at it. Answers come straight from the ``DnsRecord`` table, so a record published a moment
ago is served at once.
"""

from __future__ import annotations

import logging
import signal
import threading
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from domains.dns_server import DatabaseZone, LocalDnsServer


class Command(BaseCommand):
    help = "Run REX's authoritative DNS server (UDP and TCP) for the records published by the local DNS provider."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=settings.REX_LOCAL_DNS_PORT)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verbosity"] >= 2:
            logging.getLogger("domains.dns_server").setLevel(logging.DEBUG)
        stop = threading.Event()
        server = LocalDnsServer(options["host"], options["port"], DatabaseZone())
        try:
            server.start()
        except OSError as exc:
            raise CommandError(f"cannot listen on {server.nameserver} for DNS: {exc.strerror or exc}") from exc
        received: list[str] = []

        def request_stop(signum: int, _frame: object) -> None:
            received.append(signal.Signals(signum).name)
            stop.set()

        previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        self.stdout.write(f"REX DNS server answering on {server.nameserver} (UDP and TCP) from the published "
                          "records; Ctrl-C stops it")
        self.stdout.flush()
        try:
            while not stop.wait(0.5):  # a timed wait, so the signal handler always gets its turn
                pass
        finally:
            server.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        self.stdout.write(f"{received[0] if received else 'stop'} received; DNS server stopped")
