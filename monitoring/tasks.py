"""Celery tasks of monitoring: the anomaly pass (beat, control queue) and the alert deliveries.

A webhook delivery is retried with exponential backoff (``REX_WEBHOOK_RETRY_BASE_SECONDS`` x 2^n, no jitter so
the schedule is what docs/monitoring.md says) up to ``REX_WEBHOOK_MAX_ATTEMPTS`` attempts, then marked failed;
every attempt is on the delivery row.
"""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task
from django.conf import settings
from django.db.utils import OperationalError

from monitoring import alerts, detection
from monitoring.models import Incident, WebhookDelivery

logger = logging.getLogger(__name__)


@shared_task(name="monitoring.detect_anomalies", ignore_result=True, autoretry_for=(OperationalError,),
             max_retries=2, default_retry_delay=10)
def detect_anomalies() -> dict[str, Any]:
    report = detection.run_pass()
    logger.info("anomaly pass: %s", report)
    return report


@shared_task(name=alerts.SEND_EMAIL_TASK, bind=True, ignore_result=True, max_retries=5, retry_jitter=False)
def send_incident_email(task: Any, incident_id: int, event: str) -> bool:
    incident = Incident.objects.filter(pk=incident_id).first()
    if incident is None:
        return False
    try:
        return alerts.email_incident(incident, event)
    except OSError as exc:  # smtplib's errors are OSErrors: the mail server is away, try again later
        raise task.retry(exc=exc, countdown=settings.REX_WEBHOOK_RETRY_BASE_SECONDS * 2 ** task.request.retries) from exc


@shared_task(name=alerts.DELIVER_WEBHOOK_TASK, bind=True, ignore_result=True, max_retries=None)
def deliver_webhook(task: Any, delivery_id: str) -> bool:
    delivery = WebhookDelivery.objects.filter(pk=delivery_id, status=WebhookDelivery.Status.PENDING).first()
    if delivery is None:
        return False  # delivered already (a redelivered message) or given up
    try:
        alerts.deliver(delivery)
    except alerts.DeliveryFailed as exc:
        if delivery.attempts + 1 >= settings.REX_WEBHOOK_MAX_ATTEMPTS:
            alerts.give_up(delivery_id)
            logger.warning("webhook %s to %s failed for good: %s", delivery_id, delivery.url, exc)
            return False
        raise task.retry(exc=exc, countdown=settings.REX_WEBHOOK_RETRY_BASE_SECONDS * 2 ** delivery.attempts) from exc
    return True
