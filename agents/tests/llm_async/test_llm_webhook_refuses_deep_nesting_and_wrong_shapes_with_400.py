"""A signed ``/webhook/llm`` delivery that is nested deeper than REX_MAX_JSON_DEPTH, or whose ``data`` is not an
object, is a 400 with a clear JSON error, not a 500; a forged deep body is still refused as before."""

import json
import time
import uuid

import pytest
from django.test import Client

from agents.tests.fake_openai import sign_webhook

WEBHOOK = "/webhook/llm"


def signed(fake_openai, body: bytes, secret: str | None = None) -> dict[str, str]:
    webhook_id, timestamp = f"wh_{uuid.uuid4().hex}", int(time.time())
    return {"webhook-id": webhook_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": sign_webhook(body, secret or fake_openai.webhook_secret, webhook_id=webhook_id,
                                              timestamp=timestamp)}


@pytest.mark.parametrize("body", [b"[" * 5000 + b"]" * 5000, b'{"data":' * 5000 + b"1" + b"}" * 5000],
                         ids=["arrays", "objects"])
def test_signed_deep_delivery_is_a_400_naming_the_limit(fake_openai, body):
    response = Client().post(WEBHOOK, data=body, content_type="application/json", headers=signed(fake_openai, body))

    assert response.status_code == 400
    assert "32" in response.json()["error"]


def test_forged_deep_delivery_is_refused_for_its_signature(fake_openai):
    body = b"[" * 5000 + b"]" * 5000
    headers = signed(fake_openai, body, secret="whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=")

    response = Client().post(WEBHOOK, data=body, content_type="application/json", headers=headers)

    assert response.status_code == 400
    assert "signature" in response.json()["error"].lower()


@pytest.mark.parametrize("data", [[1], "resp_1", 7, {"id": ["resp_1"]}], ids=["list", "string", "number", "id a list"])
def test_data_of_the_wrong_shape_is_a_400(fake_openai, data):
    body = json.dumps({"id": "evt_1", "object": "event", "type": "response.completed", "data": data}).encode()

    response = Client().post(WEBHOOK, data=body, content_type="application/json", headers=signed(fake_openai, body))

    assert response.status_code == 400
    assert "data" in response.json()["error"]
