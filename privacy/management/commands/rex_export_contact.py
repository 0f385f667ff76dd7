"""``manage.py rex_export_contact EMAIL [--organization SLUG]``: everything REX holds about a person, as JSON.

Without ``--organization`` every organization that holds something about the address is included. An unknown
address fails with one line and a non-zero exit. The export is audited (agent ``privacy``, the address's digest).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from campaigns.management.commands.rex_import_contacts import default_actor
from privacy.personal_data import PersonNotFound
from privacy.subject_requests import check_people, export_people


class Command(BaseCommand):
    help = "Print, as JSON, everything REX holds about the person with this email address (GDPR Art. 15)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("--organization", metavar="SLUG", help="only this organization (default: every one)")
        parser.add_argument("--actor", metavar="NAME", help="who asks, for the audit log (default: your user name)")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            people = check_people(options["email"], options["organization"])
        except (ValueError, PersonNotFound) as exc:
            raise CommandError(str(exc)) from exc
        data = export_people(people, actor=options["actor"] or default_actor())
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
