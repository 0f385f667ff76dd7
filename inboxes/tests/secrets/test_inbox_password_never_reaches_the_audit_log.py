from __future__ import annotations

import json

from agents.models import AgentLog
from agents.pii import redact_payload
from inboxes.tests.caps_helpers import make_domain, make_inbox

SECRET = "hunter2-but-longer-Zq9"


def test_redaction_settings_cover_passwords(settings):
    assert "password" in [field.lower() for field in settings.REX_REDACT_FIELDS]


def test_inbox_password_in_an_agent_log_payload_is_stored_redacted(organization):
    inbox = make_inbox(make_domain(organization))
    inbox.set_password(SECRET)
    inbox.save()
    payload = {
        "inbox": {"id": inbox.pk, "smtp_host": "smtp.example", "password": inbox.password},
        "smtp_password": inbox.password,
        "credentials": [{"imap_password": inbox.password}],
    }

    assert SECRET not in json.dumps(redact_payload(payload))
    AgentLog.objects.create(organization=organization, agent="inbox_setup", action="connect", payload=payload)

    stored = AgentLog.objects.get()
    assert SECRET not in json.dumps(stored.payload)
    assert stored.payload["inbox"]["password"] == "<REDACTED>"
    assert stored.payload["inbox"]["smtp_host"] == "smtp.example"
    assert stored.payload["smtp_password"] == "<REDACTED>"
