"""Whatever an agent logs, credentials and personal fields never reach the agent_logs table in clear."""

from agents.models import AgentLog
from agents.pii import REDACTED


def test_sensitive_keys_and_pii_in_free_text_are_redacted_before_storage(organization):
    log = AgentLog.objects.create(
        organization=organization,
        agent="canary",
        action="run",
        payload={
            "params": {"smtp_password": "hunter2", "Email": "jane@acme.example", "count": 3,
                       "note": "reply to jane.doe@acme.example please",
                       "memo": "card 4111 1111 1111 1111, call +1 415 555 0132, order 2024-03-15",
                       "nested": [{"api_key": "sk-123", "phone": "+44 20 7946 0000", "ok": True}]},
        },
    )
    stored = AgentLog.objects.get(pk=log.pk).payload["params"]
    assert stored["smtp_password"] == REDACTED
    assert stored["Email"] == REDACTED
    assert stored["note"] == "reply to <EMAIL_1> please"
    assert stored["memo"] == "card <CREDIT_CARD_1>, call <PHONE_1>, order 2024-03-15"
    assert stored["nested"] == [{"api_key": REDACTED, "phone": REDACTED, "ok": True}]
    assert stored["count"] == 3
    assert "hunter2" not in str(AgentLog.objects.get(pk=log.pk).payload)
