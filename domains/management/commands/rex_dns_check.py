"""``manage.py rex_dns_check``: check domains' MX, SPF, DKIM and DMARC records now.

    manage.py rex_dns_check acme-1.example acme-2.example
    manage.py rex_dns_check --pending [--org acme]      every domain waiting in dns_pending

One line per domain: ``PASS name (DMARC p=…)`` or ``FAIL name: spf: why; dkim: why``. Every check is stored
(``DnsCheck``) and updates the domain's ``dns_ok``. Exit status: 0 when every domain passed, 1 when any failed,
2 when the checks could not be made (unknown domain, organization, or no resolver answering).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from core.names import normalize_domain_name
from domains.dns import DnsUnavailable, check_domain, failure_summary
from domains.models import Domain, DomainState
from tenants.models import Organization

CANNOT_CHECK = 2


class Command(BaseCommand):
    help = "Check the DNS authentication records (MX, SPF, DKIM, DMARC) of domains and store the results."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("domains", nargs="*", metavar="domain", help="domain names to check")
        parser.add_argument("--pending", action="store_true", help="check every domain in dns_pending")
        parser.add_argument("--org", metavar="SLUG", help="with --pending: only this organization's domains")

    def handle(self, *args: Any, **options: Any) -> None:
        domains = self.domains_to_check(options)
        if not domains:
            self.stdout.write("no domain is waiting for DNS (dns_pending)")
            return
        failed = 0
        bar = tqdm(domains, desc="DNS checks", unit="domain", disable=True if len(domains) < 2 else None,
                   file=self.stderr._out, leave=False)
        for domain in bar:
            try:
                check = check_domain(domain)
            except DnsUnavailable as exc:
                bar.close()
                done = domains.index(domain)
                raise CommandError(f"{exc} ({done} domain(s) checked before that)" if done else str(exc),
                                   returncode=CANNOT_CHECK) from exc
            if check.passed:
                line = self.style.SUCCESS(f"PASS {domain.name}") + f" (DMARC p={check.dmarc_policy})"
            else:
                failed += 1
                line = self.style.ERROR(f"FAIL {domain.name}") + f": {failure_summary(check)}"
            with bar.external_write_mode():
                self.stdout.write(line)
        bar.close()
        if failed:
            raise CommandError(f"{failed} of {len(domains)} domain(s) failed the DNS check", returncode=1)

    def domains_to_check(self, options: dict[str, Any]) -> list[Domain]:
        names = [normalize_domain_name(n) for n in options["domains"]]
        if names and options["pending"]:
            raise CommandError("name domains or use --pending, not both", returncode=CANNOT_CHECK)
        if options["org"] and not options["pending"]:
            raise CommandError("--org goes with --pending", returncode=CANNOT_CHECK)
        if options["pending"]:
            pending = Domain.objects.filter(state=DomainState.DNS_PENDING)
            if options["org"]:
                org = Organization.objects.filter(slug=options["org"]).first()
                if org is None:
                    raise CommandError(f"no organization {options['org']!r}", returncode=CANNOT_CHECK)
                pending = pending.filter(organization=org)
            return list(pending.order_by("name"))
        if not names:
            raise CommandError("name at least one domain, or use --pending", returncode=CANNOT_CHECK)
        found = {d.name: d for d in Domain.objects.filter(name__in=names)}
        unknown = [n for n in dict.fromkeys(names) if n not in found]
        if unknown:
            raise CommandError(f"unknown domain(s): {', '.join(unknown)}", returncode=CANNOT_CHECK)
        return [found[n] for n in dict.fromkeys(names)]
