"""A receiver that answers 500 every time: each attempt is recorded on the delivery (its status code), retries are
scheduled with a doubling delay, and after REX_WEBHOOK_MAX_ATTEMPTS the delivery is marked failed and not tried
again."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry

from monitoring.models import Incident, WebhookDelivery
from monitoring.tasks import deliver_webhook

pytestmark = pytest.mark.django_db


def test_a_webhook_the_receiver_keeps_refusing_is_given_up_with_every_attempt_recorded(
        webhook_receiver, alert_settings, settings, sender, monkeypatch):
    settings.REX_WEBHOOK_MAX_ATTEMPTS = 3
    settings.REX_WEBHOOK_RETRY_BASE_SECONDS = 30
    receiver = webhook_receiver(answers=[500, 502, 503])
    alert_settings(webhook_url=receiver.url)
    incident = Incident.objects.create(organization=sender, kind="queue_age", severity="warning",
                                       subject_type="queue", subject_key="queue", subject="mission queue",
                                       reason="the oldest queued mission has waited 6 min 0 s for a worker")
    delivery = WebhookDelivery.objects.create(organization=sender, incident=incident, event="incident.opened",
                                              url=receiver.url, payload={"type": "incident.opened"})
    countdowns = []
    monkeypatch.setattr(deliver_webhook, "retry", lambda exc, countdown: countdowns.append(countdown) or Retry())

    for _ in range(3):
        try:
            deliver_webhook.run(delivery.pk)
        except Retry:
            pass
    assert deliver_webhook.run(delivery.pk) is False  # given up: nothing more is sent

    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3
    assert [a["status_code"] for a in delivery.attempt_log] == [500, 502, 503]
    assert countdowns == [30, 60]
    assert len(receiver.received) == 3 and all(r.signature_valid for r in receiver.received)
