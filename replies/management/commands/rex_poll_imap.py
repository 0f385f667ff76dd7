"""``manage.py rex_poll_imap``: read new replies now, from every inbox with an IMAP host or from one.

    manage.py rex_poll_imap [--inbox ADDRESS]

Prints one line per inbox (new messages stored, messages read); each inbox that could not be read gets one line on
stderr with the reason, and the command exits 1. The same poll as the beat job's (``replies.imap``), lock included:
an inbox being polled by a worker right now is reported as skipped.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from inboxes.models import Inbox
from replies.imap import PollError, poll_all, poll_inbox


class Command(BaseCommand):
    help = "Poll IMAP now: store new replies of every inbox (or one), print counts and errors; exit 1 on a failure."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--inbox", metavar="ADDRESS", help="only this inbox")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["inbox"]:
            address = options["inbox"].strip().lower()
            inbox = Inbox.objects.filter(address=address).first()
            if inbox is None:
                raise CommandError(f"no inbox with address {address!r}")
            try:
                reports = [poll_inbox(inbox)]
            except PollError as exc:
                reports = [exc.report]
        else:
            reports = poll_all()
            if not reports:
                self.stdout.write("no inbox has an IMAP host configured")

        failed = [report for report in reports if report.error]
        for report in reports:
            if not report.error:
                self.stdout.write(report.summary())
        for report in failed:
            self.stderr.write(report.summary())
        if failed:
            raise CommandError(f"{len(failed)} of {len(reports)} inboxes could not be read", returncode=1)
