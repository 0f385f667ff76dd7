"""``manage.py rex_erase_contact EMAIL [--organization SLUG]``: erase a person's data (GDPR Art. 17).

Blanks the person's contact, the messages to and from them, and every quote of their address in logs, LLM
payloads and missions, in one transaction per organization; keeps the suppression as a digest so they are never
contacted again. Without ``--organization`` every organization that holds something about the address. Prints one
line per organization; an unknown address fails with one line and a non-zero exit.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.management.commands.rex_import_contacts import default_actor
from privacy.personal_data import PersonNotFound
from privacy.subject_requests import check_people, erase_people


class Command(BaseCommand):
    help = "Erase the person with this email address from REX, keeping only a hashed suppression (GDPR Art. 17)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("--organization", metavar="SLUG", help="only this organization (default: every one)")
        parser.add_argument("--actor", metavar="NAME", help="who asks, for the audit log (default: your user name)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            people = check_people(options["email"], options["organization"])
        except (ValueError, PersonNotFound) as exc:
            raise CommandError(str(exc)) from exc
        for person, report in erase_people(people, actor=options["actor"] or default_actor()):
            rows = ", ".join(f"{label} {n}" for label, n in sorted(report.rows.items())) or "no rows"
            self.stdout.write(f"{person.organization.slug}: erased {person.email} ({rows}); suppressed as "
                              f"sha256 {report.email_sha256[:12]}…")
