"""A synthetic bounce spike (12 hard bounces out of 200 sends today, recorded through ``record_bounce``) is found by
the anomaly pass that beat sends to the control queue: a real worker opens one critical incident for the domain,
pauses its inbox, mails the ops address (a real SMTP server) and POSTs the event to the webhook, signed in the
Standard Webhooks format; the receiver's first answer is a 500, so the delivery is retried (same webhook-id) and
both attempts are recorded."""

from __future__ import annotations

import pytest
from django.utils import timezone

from conftest import wait_for
from inboxes.bounces import record_bounce
from inboxes.models import BounceRecord, Inbox, OutboundMessage
from monitoring.models import Incident, WebhookDelivery
from rex_project.celery import CONTROL_QUEUE
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_bounce_spike_opens_an_incident_pauses_the_domain_mails_ops_and_calls_the_signed_webhook(
        make_inbox, sent_today, smtp_server, webhook_receiver, alert_settings, start_worker, sender):
    inbox = make_inbox()
    receiver = webhook_receiver(answers=[500])
    alert_settings(ops_email="ops@acme-outbound.example", webhook_url=receiver.url)
    mail_server = smtp_server()
    sent_today(inbox, 200)
    for n in range(12):
        message = OutboundMessage.objects.create(
            organization=sender, inbox=inbox, idempotency_key=f"spike-{n}", to_address=f"gone{n}@client.example",
            status=OutboundMessage.Status.SENT, sent_at=timezone.now(), slot_day=inbox.local_today())
        record_bounce(sender, klass=BounceRecord.Class.HARD, recipient=message.to_address, status="5.1.1",
                      message=message, source="test")
    start_worker(EMAIL_HOST="127.0.0.1", EMAIL_PORT=str(mail_server.port), REX_WEBHOOK_RETRY_BASE_SECONDS="0.2")

    celery_app.send_task("monitoring.detect_anomalies", queue=CONTROL_QUEUE)  # what beat sends

    incident = wait_for(lambda: Incident.objects.filter(kind="bounce_rate").first(), 30, "the incident")
    assert (incident.severity, incident.subject_type, incident.subject) == ("critical", "domain", inbox.domain.name)
    assert "bounce rate 6.0 % (12 of 200 sent" in incident.reason and "3.0 % pause threshold" in incident.reason
    inbox.refresh_from_db()
    assert inbox.status == Inbox.Status.PAUSED and inbox.pause_reason.startswith(f"incident M{incident.pk}:")
    assert incident.paused_inbox_ids == [inbox.pk]

    [mail] = wait_for(lambda: mail_server.messages, 30, "the ops email")
    assert mail.rcpt_tos == ["ops@acme-outbound.example"]
    assert "critical incident: Bounce rate on " + inbox.domain.name in mail.message["Subject"]
    assert f"/incidents/#incident-{incident.pk}" in mail.message.get_content()

    delivery = wait_for(lambda: WebhookDelivery.objects.filter(status="delivered").first(), 30, "the webhook")
    assert delivery.attempts == 2 and [a["status_code"] for a in delivery.attempt_log] == [500, 204]
    first, second = receiver.received
    assert first.signature_valid and second.signature_valid
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == delivery.pk
    assert second.event["type"] == "incident.opened" and second.event["data"]["id"] == incident.pk
    assert second.event["data"]["severity"] == "critical" and second.event["data"]["paused_inboxes"] == 1

    # The next pass finds the same spike: the incident is seen again, never opened (or alerted) twice.
    celery_app.send_task("monitoring.detect_anomalies", queue=CONTROL_QUEUE)
    wait_for(lambda: Incident.objects.get(pk=incident.pk).last_seen_at > incident.last_seen_at, 30, "a second pass")
    assert Incident.objects.count() == 1 and WebhookDelivery.objects.count() == 1
