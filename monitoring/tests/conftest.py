"""The monitoring tests' world: inboxes that have sent (their day counters), bounces recorded through the real
path, a local HTTP receiver of webhooks that checks their signature, and the organization's alert settings."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import timezone

from inboxes.tests.conftest import make_inbox, sender, smtp_server  # noqa: F401 - shared fixtures
from ops.net import free_port

WEBHOOK_SECRET = "whsec_" + base64.b64encode(b"monitoring-tests-signing-key-32b").decode()


@dataclass
class ReceivedWebhook:
    headers: dict[str, str]
    body: bytes
    signature_valid: bool

    @property
    def event(self) -> dict[str, Any]:
        return json.loads(self.body)


@dataclass
class WebhookReceiver:
    url: str
    received: list[ReceivedWebhook] = field(default_factory=list)
    # Status codes to answer, in order; 204 once they are used up.
    answers: list[int] = field(default_factory=list)


def signature_is_valid(secret: str, headers: dict[str, str], body: bytes) -> bool:
    """What a receiver does (Standard Webhooks): recompute the HMAC of "id.timestamp.body" with the decoded secret."""
    key = base64.b64decode(secret.removeprefix("whsec_"))
    signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    offered = [part.split(",", 1)[1] for part in headers["webhook-signature"].split() if part.startswith("v1,")]
    return any(hmac.compare_digest(expected, sig) for sig in offered)


@pytest.fixture
def webhook_receiver() -> Iterator[Callable[..., WebhookReceiver]]:
    """``webhook_receiver(answers=[500])``: an HTTP server on 127.0.0.1 recording every POST with its signature
    checked against ``WEBHOOK_SECRET``."""
    servers: list[ThreadingHTTPServer] = []

    def start(*, answers: list[int] | None = None) -> WebhookReceiver:
        port = free_port()
        receiver = WebhookReceiver(url=f"http://127.0.0.1:{port}/hooks/rex", answers=list(answers or []))

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("content-length", "0")))
                headers = {k.lower(): v for k, v in self.headers.items()}
                receiver.received.append(ReceivedWebhook(headers, body, signature_is_valid(WEBHOOK_SECRET, headers,
                                                                                           body)))
                self.send_response(receiver.answers.pop(0) if receiver.answers else 204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return

        server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return receiver

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def alert_settings(sender):  # noqa: F811 - the shared fixture, requested by name
    """``alert_settings(ops_email=…, webhook_url=…)``: where the organization's incidents are sent."""
    from monitoring.models import AlertSettings

    def make(*, ops_email: str = "", webhook_url: str = "") -> AlertSettings:
        row = AlertSettings(organization=sender, ops_email=ops_email, webhook_url=webhook_url)
        if webhook_url:
            row.set_webhook_secret(WEBHOOK_SECRET)
        row.save()
        return row

    return make


@pytest.fixture
def sent_today() -> Callable[..., Any]:
    """``sent_today(inbox, sent, bounces=…, complaints=…)``: the inbox's counters for today, as sending leaves them."""
    from inboxes.models import InboxDay

    def record(inbox: Any, sent: int, *, bounces: int = 0, complaints: int = 0, day: Any = None) -> Any:
        row, _ = InboxDay.objects.update_or_create(
            inbox=inbox, day=day or inbox.local_today(timezone.now()),
            defaults={"sent": sent, "bounces": bounces, "complaints": complaints})
        return row

    return record
