"""``manage.py rex_erase_contact EMAIL [--organization SLUG]``: erase a person's data (GDPR Art. 17).

Blanks the person's contact, the messages to and from them, and every quote of their address in logs, LLM
payloads and missions, in one transaction per organization; keeps the suppression as a digest so they are never
contacted again. Without ``--organization`` every organization that holds something about the address. Prints one
line per organization; an unknown address fails with one line and a non-zero exit.
"""

from __future__ import annotations

from typing import Any

from privacy.management.commands._subject_request import SubjectRequestCommand
from privacy.subject_requests import erase_people


class Command(SubjectRequestCommand):
    help = "Erase the person with this email address from REX, keeping only a hashed suppression (GDPR Art. 17)."

    def handle(self, *args: Any, **options: Any) -> None:
        people, actor = self.people(options)
        for person, report in erase_people(people, actor=actor):
            rows = ", ".join(f"{label} {n}" for label, n in sorted(report.rows.items())) or "no rows"
            self.stdout.write(f"{person.organization.slug}: erased {person.email} ({rows}); suppressed as "
                              f"sha256 {report.email_sha256[:12]}…")
