"""The audit redaction and the LLM redaction walk data with one matcher and one depth limit: the audit log hides
every field the LLM would not see, and both stop at the same depth."""

import pytest
from pytest_django.fixtures import Settings

from agents.pii import REDACTED, redact_payload, redact_pii
from agents.pii.walk import MAX_DEPTH


def nested(depth: int, leaf: object) -> object:
    value = leaf
    for _ in range(depth):
        value = [value]
    return value


def test_the_audit_log_hides_the_llm_fields_too() -> None:
    payload = {"company": "Acme GmbH", "name": "Jane Doe", "address_line1": "12 Main St", "lastName": "Doe",
               "product_name": "Warmup Pro", "count": 3}
    assert redact_payload(payload) == {"company": REDACTED, "name": REDACTED, "address_line1": REDACTED,
                                       "lastName": REDACTED, "product_name": "Warmup Pro", "count": 3}


def test_both_key_spellings_match_credentials() -> None:
    payload = {"smtpPassword": "a", "apiKey": "b", "X-Auth-Token": "c", "notes": "fine"}
    assert redact_payload(payload) == {"smtpPassword": REDACTED, "apiKey": REDACTED, "X-Auth-Token": REDACTED,
                                       "notes": "fine"}


def test_the_audit_field_list_still_comes_from_settings(settings: Settings) -> None:
    settings.REX_REDACT_FIELDS = ["pin"]
    settings.REX_PII_FIELDS = ["email"]
    payload = {"card_pin": "1234", "email": "jane@acme.com", "password": "hunter2", "name": "x"}
    assert redact_payload(payload) == {"card_pin": REDACTED, "email": REDACTED, "password": "hunter2", "name": "x"}


def test_one_depth_limit_for_both() -> None:
    assert redact_payload(nested(MAX_DEPTH, "ok")) == nested(MAX_DEPTH, "ok")
    assert redact_payload(nested(MAX_DEPTH + 1, "ok")) == nested(MAX_DEPTH + 1, REDACTED)  # the leaf, not its lists
    assert redact_pii(nested(MAX_DEPTH, "ok"), consent=True)[0] == nested(MAX_DEPTH, "ok")
    with pytest.raises(ValueError, match="nested too deeply"):
        redact_pii(nested(MAX_DEPTH + 1, "ok"), consent=True)


def test_tuples_stay_tuples_for_the_llm_and_become_lists_for_the_json_column() -> None:
    assert redact_payload({"tags": ("a", "b")}) == {"tags": ["a", "b"]}
    assert redact_pii({"tags": ("a", "b")}, consent=True)[0] == {"tags": ("a", "b")}
