import json
import time

from inboxes.models import InboxDay, Suppression
from inboxes.tests.conftest import WebhookSigner
from inboxes.tests.webhook_helpers import event, sent_message


def test_sendgrid_webhook_without_a_valid_fresh_signature_is_refused_and_stores_nothing(client, sendgrid_webhook,
                                                                                        make_inbox, sender, settings):
    inbox = make_inbox(provider="sendgrid")
    events = [event("spamreport", sent_message(sender, inbox, "angry@client.example"))]
    body = json.dumps(events)

    signed_by_someone_else = WebhookSigner().post(client, events)
    stale = sendgrid_webhook.post(client, events, timestamp=int(time.time()) - 11 * 60)
    unsigned = client.post("/webhook/sendgrid", data=body, content_type="application/json")
    garbage_signature = client.post("/webhook/sendgrid", data=body, content_type="application/json", headers={
        "X-Twilio-Email-Event-Webhook-Signature": "not base64 at all!",
        "X-Twilio-Email-Event-Webhook-Timestamp": str(int(time.time()))})
    body_changed_after_signing = client.post(
        "/webhook/sendgrid", data=body.replace("spamreport", "unsubscribe"), content_type="application/json",
        headers=sendgrid_webhook.headers(body))
    settings.SENDGRID_WEBHOOK_PUBLIC_KEY = ""
    not_configured = sendgrid_webhook.post(client, events)

    for response in (signed_by_someone_else, stale, unsigned, garbage_signature, body_changed_after_signing,
                     not_configured):
        assert response.status_code == 403, response.content
    assert "minutes" in stale.json()["error"]
    assert "not configured" in not_configured.json()["error"]
    assert not Suppression.objects.exists()
    assert not InboxDay.objects.filter(complaints__gt=0).exists()
