"""``manage.py rex_export_contact EMAIL [--organization SLUG]``: everything REX holds about a person, as JSON.

Without ``--organization`` every organization that holds something about the address is included. An unknown
address fails with one line and a non-zero exit. The export is audited (agent ``privacy``, the address's digest).
"""

from __future__ import annotations

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder

from privacy.management.commands._subject_request import SubjectRequestCommand
from privacy.subject_requests import export_people


class Command(SubjectRequestCommand):
    help = "Print, as JSON, everything REX holds about the person with this email address (GDPR Art. 15)."

    def handle(self, *args: Any, **options: Any) -> None:
        people, actor = self.people(options)
        data = export_people(people, actor=actor)
        self.stdout.write(json.dumps(data, cls=DjangoJSONEncoder, indent=2, ensure_ascii=False))
