"""``manage.py rex_import_contacts``: import a CSV of contacts onto an organization's list (all or nothing).

    manage.py rex_import_contacts FILE --list NAME_OR_SLUG --organization SLUG [--actor NAME] [--default-region GB]

Prints the report. When any row has an error nothing is imported: every error goes to stderr, one per row, and
the command fails with one line naming how many rows and the first few.
"""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from campaigns.contact_import import ImportReport, import_contacts
from tenants.models import Organization


def default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment nor in the password database (a container)
        return "manage.py"


class Command(BaseCommand):
    help = "Import contacts from a CSV file onto a list: every row checked first, then all imported or none."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", metavar="FILE", help="the CSV file (a header row with an email column)")
        parser.add_argument("--list", required=True, metavar="NAME", help="the list's name or slug (created if new)")
        parser.add_argument("--organization", required=True, metavar="SLUG", help="the organization's slug")
        parser.add_argument("--actor", metavar="NAME", help="who imports, recorded in each contact's source "
                                                            "(default: your user name)")
        parser.add_argument("--default-region", metavar="CC",
                            help="the country of phone numbers written without +<country code> (GB, US)")

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug=options["organization"]).first()
        if organization is None:
            raise CommandError(f"no organization with slug {options['organization']!r}")
        path = Path(options["file"])
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"cannot read {path}: {exc.strerror or exc}") from exc
        region = (options["default_region"] or "").strip().upper() or None
        try:
            report = import_contacts(organization, options["list"], data, filename=path.name,
                                     actor=options["actor"] or default_actor(), default_region=region)
        except ValueError as exc:  # an unusable list name, say
            raise CommandError(str(exc)) from exc
        for warning in report.warnings:
            self.stderr.write(f"warning: {warning}")
        if not report.ok:
            self.fail(report)
        self.write_report(report)

    def write_report(self, report: ImportReport) -> None:
        self.stdout.write(report.summary())
        for duplicate in report.duplicates_in_file:
            self.stdout.write(f"  row {duplicate['row']}: same email as row {duplicate['duplicate_of']} (skipped)")

    def fail(self, report: ImportReport) -> None:
        for error in report.errors:
            self.stderr.write(str(error))
        raise CommandError(report.refusal_line())
