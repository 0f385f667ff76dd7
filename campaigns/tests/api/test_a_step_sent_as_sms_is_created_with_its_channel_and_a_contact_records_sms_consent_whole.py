"""Sequences take a channel per message step (``sms``: a text, body only, at most 1 600 characters), and a contact's
SMS consent is recorded with both its time and its source, or not at all (400 on the field)."""

from __future__ import annotations

from campaigns.models import Contact, Sequence
from campaigns.tests.api.conftest import sequence_body


def test_a_step_sent_as_sms_is_created_with_its_channel(api_client):
    body = sequence_body()
    body["steps"][2] = {"kind": "email", "channel": "sms", "variants": [{"label": "A", "body": "Hi {{first_name}}!"}]}
    answer = api_client.post("/api/sequences/", body, format="json")
    assert answer.status_code == 201, answer.json()
    assert [s["channel"] for s in answer.json()["steps"]] == ["email", "email", "sms"]
    assert list(Sequence.objects.get().steps.values_list("channel", flat=True)) == ["email", "email", "sms"]

    too_long = sequence_body("Long")
    too_long["steps"][2] = {"kind": "email", "channel": "sms", "variants": [{"label": "A", "body": "x" * 1601}]}
    refused = api_client.post("/api/sequences/", too_long, format="json")
    assert refused.status_code == 400
    assert "at most 1600 characters" in str(refused.json()["steps"]["2"]["variants"]["0"]["body"])
    unknown = sequence_body("Fax")
    unknown["steps"][2]["channel"] = "fax"
    assert api_client.post("/api/sequences/", unknown, format="json").status_code == 400


def test_a_contact_records_sms_consent_with_its_time_and_source_or_not_at_all(api_client):
    half = api_client.post("/api/contacts/", {"phone": "+447911123456", "sms_consent_at": "2026-11-01T10:00:00Z"},
                           format="json")
    assert half.status_code == 400 and "sms_consent_source" in half.json()
    assert not Contact.objects.exists()
    whole = api_client.post("/api/contacts/", {"phone": "+447911123456", "sms_consent_at": "2026-11-01T10:00:00Z",
                                               "sms_consent_source": "web form"}, format="json")
    assert whole.status_code == 201, whole.json()
    assert Contact.objects.get().has_sms_consent
