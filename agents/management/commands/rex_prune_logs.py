"""``manage.py rex_prune_logs``: remove audit log rows past their retention now (the daily beat job does the same).

    manage.py rex_prune_logs                     # REX_AGENT_LOG_RETENTION_DAYS (365 by default)
    manage.py rex_prune_logs --older-than-days 90
    manage.py rex_prune_logs --dry-run           # only count what would go
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from agents.retention import expired, prune_agent_logs, retention_cutoff


class Command(BaseCommand):
    help = "Delete AgentLog rows older than the retention (REX_AGENT_LOG_RETENTION_DAYS or --older-than-days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than-days", type=int, default=None,
                            help="retention in days for this run (default: REX_AGENT_LOG_RETENTION_DAYS)")
        parser.add_argument("--dry-run", action="store_true", help="count the rows that would go; delete nothing")

    def handle(self, *args, older_than_days: int | None, dry_run: bool, **options) -> None:
        if older_than_days is not None and older_than_days <= 0:
            raise CommandError("--older-than-days must be a whole number of days above 0")
        cutoff = retention_cutoff(older_than_days)
        if cutoff is None:
            self.stdout.write(f"retention is off (REX_AGENT_LOG_RETENTION_DAYS={settings.REX_AGENT_LOG_RETENTION_DAYS}); "
                              "nothing to prune")
            return
        total = expired(cutoff).count()
        if dry_run:
            self.stdout.write(f"{total} audit log rows were created before {cutoff:%Y-%m-%d %H:%M} UTC "
                              "and would be deleted")
            return
        with tqdm(total=total, unit="rows", disable=total < 10000, file=self.stderr) as bar:
            deleted = prune_agent_logs(cutoff, progress=bar.update)
        self.stdout.write(f"deleted {deleted} audit log rows created before {cutoff:%Y-%m-%d %H:%M} UTC")
