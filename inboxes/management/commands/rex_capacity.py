"""``manage.py rex_capacity``: today's sending capacity per domain and, under each, per inbox.

    manage.py rex_capacity [--org SLUG] [--domain NAME] [--json]

Each inbox is shown on its own local day (its timezone); "available" is what a domain's inboxes can still
really send today once both the inbox limits and the domain cap are counted.
"""

from __future__ import annotations

import json
from datetime import UTC
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from core.names import normalize_domain_name
from domains.models import Domain
from inboxes.caps import CapacityReport, capacity_today
from tenants.models import Organization


class Command(BaseCommand):
    help = "Show today's capacity per domain and per inbox: cap, today's limit, sent, remaining."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="only this organization's domains")
        parser.add_argument("--domain", metavar="NAME", help="only this domain")
        parser.add_argument("--json", action="store_true", help="machine-readable output")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = None
        if options["org"]:
            organization = Organization.objects.filter(slug=options["org"]).first()
            if organization is None:
                raise CommandError(f"no organization with slug {options['org']!r}")
        domain = None
        if options["domain"]:
            name = normalize_domain_name(options["domain"])
            domains = Domain.objects.filter(name=name)
            if organization is not None:
                domains = domains.filter(organization=organization)
            domain = domains.first()
            if domain is None:
                where = f" in organization {organization.slug!r}" if organization is not None else ""
                raise CommandError(f"no domain {name!r}{where}")
        report = capacity_today(organization, domain=domain)
        if options["json"]:
            self.stdout.write(json.dumps(report.as_dict(), indent=2))
        else:
            self.write_table(report)

    def write_table(self, report: CapacityReport) -> None:
        at = report.at.astimezone(UTC)
        self.stdout.write(f"Capacity at {at:%Y-%m-%d %H:%M} UTC (each inbox on its own local day)")
        if not report.domains:
            self.stdout.write("no domains")
        head = f"{'':<46} {'status':<11} {'cap':>6} {'today':>6} {'sent':>6} {'left':>6}  day"
        self.stdout.write(head)
        for d in report.domains:
            days = ", ".join(f"{day}: {sent}" for day, sent in d.sent_by_day.items())
            self.stdout.write(
                f"{d.organization + ' / ' + d.name:<46.46} {d.state:<11} {d.daily_cap:>6} {'':>6} {d.sent:>6} "
                f"{d.remaining:>6}  {d.day}  available {d.available}" + (f"  (sent per day: {days})" if days else ""))
            for i in d.inboxes:
                self.stdout.write(
                    f"    {i.address:<42.42} {i.status:<11} {i.daily_cap:>6} {i.limit:>6} {i.sent:>6} "
                    f"{i.remaining:>6}  {i.day} ({i.timezone})")
        t = report.totals
        self.stdout.write(
            f"Total: {t['domains']} domain(s), {t['inboxes']} inbox(es); domain caps {t['domain_cap']}, "
            f"today's inbox limits {t['inbox_limit']}, sent {t['sent']}, available {t['available']}")
