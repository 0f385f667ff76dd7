"""A signed SendGrid batch nested deeper than REX_MAX_JSON_DEPTH is a 400 with the webhook's JSON error, not a 500;
the same body with a forged signature is still a 403 (the signature is checked on the raw bytes first)."""

from inboxes.tests.conftest import WebhookSigner

DEEP = "[" * 5000 + "]" * 5000


def test_signed_deep_batch_is_a_400(client, sendgrid_webhook):
    response = client.post("/webhook/sendgrid", data=DEEP, content_type="application/json",
                           headers=sendgrid_webhook.headers(DEEP))

    assert response.status_code == 400
    assert "32" in response.json()["error"]


def test_forged_deep_batch_is_still_a_403(client, sendgrid_webhook):
    response = client.post("/webhook/sendgrid", data=DEEP, content_type="application/json",
                           headers=WebhookSigner().headers(DEEP))

    assert response.status_code == 403
