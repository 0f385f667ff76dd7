"""``manage.py rex_analytics_rollup [--since YYYY-MM-DD] [--until YYYY-MM-DD] [--organization SLUG]``: recompute the
daily analytics rows (a backfill after an upgrade, or after correcting data by hand). Idempotent."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from analytics.rollup import rollup_days
from tenants.models import Organization


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"{value!r} is not a day (YYYY-MM-DD)") from exc


class Command(BaseCommand):
    help = "Recompute the daily analytics rows of a range of days (default: the last 30), for one or all organizations."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--since", help="First day (UTC), YYYY-MM-DD; default 29 days before --until.")
        parser.add_argument("--until", help="Last day (UTC, included), YYYY-MM-DD; default today.")
        parser.add_argument("--organization", help="The slug of one organization; default every one.")

    def handle(self, *args: Any, **options: Any) -> None:
        until = _day(options["until"]) if options["until"] else timezone.now().date()
        since = _day(options["since"]) if options["since"] else until - timedelta(days=29)
        if since > until:
            raise CommandError("--since must not be after --until")
        organizations = Organization.objects.order_by("pk")
        if options["organization"]:
            organizations = organizations.filter(slug=options["organization"])
            if not organizations.exists():
                raise CommandError(f"no organization {options['organization']!r}")
        days = [since + timedelta(days=n) for n in range((until - since).days + 1)]
        changed = sum(rollup_days(pk, days) for pk in organizations.values_list("pk", flat=True))
        self.stdout.write(f"rolled up {len(days)} days: {changed} organization-days changed")
