"""``manage.py rex_warmup_tick [--date YYYY-MM-DD] [--dry-run]``: run the daily warmup tick now.

The same tick the beat job runs (inboxes.warmup.tick). ``--date`` runs it for another day (a missed day, a
replay); ``--dry-run`` runs it inside a transaction that is rolled back and prints what it would change.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from inboxes.warmup import TickReport, tick


class _RollBack(Exception):
    """Raised inside the dry run's transaction so that nothing the tick did is kept."""

    def __init__(self, report: TickReport) -> None:
        super().__init__("dry run")
        self.report = report


def parse_day(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise CommandError(f"--date must be a calendar date written YYYY-MM-DD, not {value!r}") from None


class Command(BaseCommand):
    help = "Run the daily warmup tick now (advance ramps, pause and resume inboxes, move domains) and print its report."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="the day to tick for, YYYY-MM-DD (default: today, UTC)")
        parser.add_argument("--dry-run", action="store_true", help="show what would change and change nothing")

    def handle(self, *args: Any, **options: Any) -> None:
        day = parse_day(options["date"]) if options["date"] else None
        if options["dry_run"]:
            try:
                with transaction.atomic():
                    raise _RollBack(tick(today=day))
            except _RollBack as rolled_back:
                report = rolled_back.report
        else:
            report = tick(today=day)
        self.write_report(report, dry_run=options["dry_run"])

    def write_report(self, report: TickReport, *, dry_run: bool) -> None:
        prefix = "dry run, nothing changed — would do: " if dry_run else ""
        self.stdout.write(prefix + report.summary())
        for line in report.details:
            self.stdout.write(f"  {line}")
        if not report.changed:
            self.stdout.write("  nothing to change")
