"""What ``rex_export_contact`` and ``rex_erase_contact`` share: the arguments and finding the person."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.management.commands.rex_import_contacts import default_actor
from privacy.personal_data import PersonNotFound
from privacy.subject_requests import check_people


class SubjectRequestCommand(BaseCommand):
    """A data subject's request by email address, optionally in one organization, audited under an actor."""

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", metavar="EMAIL")
        parser.add_argument("--organization", metavar="SLUG", help="only this organization (default: every one)")
        parser.add_argument("--actor", metavar="NAME", help="who asks, for the audit log (default: your user name)")

    def people(self, options: dict[str, Any]) -> tuple[list, str]:
        """The person in each organization that holds the address, and who asks; one readable line if none."""
        try:
            people = check_people(options["email"], options["organization"])
        except (ValueError, PersonNotFound) as exc:
            raise CommandError(str(exc)) from exc
        return people, options["actor"] or default_actor()
