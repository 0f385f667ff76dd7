"""``POST /api/sms/numbers`` takes E.164 numbers only (400 with the reason otherwise, nothing stored); a US long code
without an A2P 10DLC campaign id is stored ``unregistered`` and says why it cannot send; the list is paginated."""

from __future__ import annotations

import pytest

from sms.models import SenderNumber

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("number", ["4155550123", "+1 415 555 0123", "+1-415-555-0123", "+999123", "", "0044791112"])
def test_a_sender_number_that_is_not_e164_is_refused_with_400(api_client, number):
    answer = api_client.post("/api/sms/numbers", {"phone_number": number}, format="json")
    assert answer.status_code == 400
    assert "phone_number" in answer.json()
    assert not SenderNumber.objects.exists()


def test_a_us_long_code_without_a_10dlc_campaign_is_added_unregistered(api_client):
    answer = api_client.post("/api/sms/numbers", {"phone_number": "+14155550123"}, format="json")
    assert answer.status_code == 201
    body = answer.json()
    assert body["status"] == "unregistered" and "A2P 10DLC" in body["send_refusal"]
    registered = api_client.post("/api/sms/numbers", {"phone_number": "+12025550123", "a2p_campaign_id": "CM" + "0" * 32,
                                                      "messaging_service_sid": "MG" + "a" * 32}, format="json")
    assert registered.status_code == 201 and registered.json()["status"] == "active"
    assert registered.json()["send_refusal"] is None
    listed = api_client.get("/api/sms/numbers").json()
    assert listed["count"] == 2 and [n["phone_number"] for n in listed["results"]] == ["+12025550123", "+14155550123"]
    assert api_client.post("/api/sms/numbers", {"phone_number": "+14155550123"}, format="json").status_code == 400
