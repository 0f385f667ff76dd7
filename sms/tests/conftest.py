"""Fixtures of the SMS tests: a fake Twilio REST API on 127.0.0.1 (the real SDK talks to it over HTTP), Twilio's
webhook signature (computed with the SDK's own ``RequestValidator``), sender numbers, and the sequence world of the
campaigns tests (a real SMTP server, inboxes, a campaign).

Only what is outside the building is faked, at its HTTP boundary: Twilio's ``Messages`` resource (create and list).
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client
from twilio.request_validator import RequestValidator

from campaigns.tests.conftest import sequence_world  # noqa: F401 - fixtures shared with the campaigns tests
from inboxes.tests.conftest import dkim_dns, make_contact, make_inbox, sender, smtp_server  # noqa: F401
from ops.net import free_port
from sms.models import SenderNumber

ACCOUNT_SID = "AC" + "1" * 32
AUTH_TOKEN = "test-auth-token-0123456789abcdef"
PUBLIC_BASE_URL = "https://rex.test.example"


@dataclass
class FakeText:
    sid: str
    to: str
    from_: str
    messaging_service_sid: str
    body: str
    status_callback: str
    date_created: datetime

    def resource(self) -> dict[str, Any]:
        return {"sid": self.sid, "account_sid": ACCOUNT_SID, "to": self.to, "from": self.from_ or None,
                "messaging_service_sid": self.messaging_service_sid or None, "body": self.body, "status": "queued",
                "num_segments": "1", "direction": "outbound-api", "api_version": "2010-04-01",
                "date_created": format_datetime(self.date_created), "date_updated": format_datetime(self.date_created),
                "date_sent": None, "error_code": None, "error_message": None, "price": None, "uri":
                f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{self.sid}.json"}


class FakeTwilio:
    """Twilio's ``/2010-04-01/Accounts/{sid}/Messages.json``: POST creates a message (201, status queued) and GET
    lists them newest first (filters To and From), behind HTTP Basic auth with the account's SID and token.

    ``hold(to, seconds)`` makes the answer to the next create for ``to`` wait after the message is stored (Twilio
    accepted it; the caller has not heard), which is where a worker is killed in the SIGKILL test.
    """

    def __init__(self) -> None:
        self.messages: list[FakeText] = []
        self.requests: list[tuple[str, str]] = []
        self._holds: dict[str, float] = {}
        self._lock = threading.Lock()
        fake = self
        path = f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"

        class Handler(BaseHTTPRequestHandler):
            def _authorized(self) -> bool:
                expected = base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
                return self.headers.get("Authorization") == f"Basic {expected}"

            def _answer(self, status: int, body: dict[str, Any]) -> None:
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def _error(self, status: int, code: int, message: str) -> None:
                self._answer(status, {"code": code, "message": message, "status": status,
                                      "more_info": f"https://www.twilio.com/docs/errors/{code}"})

            def do_POST(self) -> None:
                url = urlsplit(self.path)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(int(self.headers.get("Content-Length") or 0))
                                                     .decode()).items()}
                with fake._lock:
                    fake.requests.append(("POST", self.path))
                if not self._authorized():
                    return self._error(401, 20003, "Authenticate")
                if url.path != path:
                    return self._error(404, 20404, "The requested resource was not found")
                to = form.get("To", "")
                if not to.startswith("+") or not to[1:].isdigit():
                    return self._error(400, 21211, f"The 'To' number {to} is not a valid phone number.")
                if not form.get("From") and not form.get("MessagingServiceSid"):
                    return self._error(400, 21603, "A 'From' or 'MessagingServiceSid' parameter is required")
                text = FakeText(sid="SM" + uuid.uuid4().hex, to=to, from_=form.get("From", ""),
                                messaging_service_sid=form.get("MessagingServiceSid", ""), body=form.get("Body", ""),
                                status_callback=form.get("StatusCallback", ""), date_created=datetime.now(UTC))
                with fake._lock:
                    fake.messages.append(text)
                    hold = fake._holds.pop(to, 0)
                if hold:
                    time.sleep(hold)
                self._answer(201, text.resource())

            def do_GET(self) -> None:
                url = urlsplit(self.path)
                query = {k: v[0] for k, v in parse_qs(url.query).items()}
                with fake._lock:
                    fake.requests.append(("GET", self.path))
                    found = [m for m in reversed(fake.messages)
                             if m.to == query.get("To", m.to) and m.from_ == query.get("From", m.from_)]
                if not self._authorized():
                    return self._error(401, 20003, "Authenticate")
                if url.path != path:
                    return self._error(404, 20404, "The requested resource was not found")
                size = int(query.get("PageSize", 50))
                self._answer(200, {"messages": [m.resource() for m in found[:size]], "page": 0, "page_size": size,
                                   "uri": self.path, "first_page_uri": self.path, "next_page_uri": None,
                                   "previous_page_uri": None, "start": 0, "end": min(size, len(found))})

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-twilio", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def hold(self, to: str, seconds: float) -> None:
        with self._lock:
            self._holds[to] = seconds

    def to(self, number: str) -> list[FakeText]:
        with self._lock:
            return [m for m in self.messages if m.to == number]

    def start(self) -> FakeTwilio:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


def twilio_env(fake: FakeTwilio) -> dict[str, str]:
    """The settings a worker process needs to text through the fake."""
    return {"TWILIO_ACCOUNT_SID": ACCOUNT_SID, "TWILIO_AUTH_TOKEN": AUTH_TOKEN, "TWILIO_API_BASE_URL": fake.base_url,
            "REX_PUBLIC_BASE_URL": PUBLIC_BASE_URL}


@pytest.fixture
def fake_twilio(settings) -> Iterator[FakeTwilio]:
    fake = FakeTwilio().start()
    for name, value in twilio_env(fake).items():
        setattr(settings, name, value)
    try:
        yield fake
    finally:
        fake.stop()


def twilio_signature(path: str, params: dict[str, str], token: str = AUTH_TOKEN) -> str:
    """X-Twilio-Signature as Twilio computes it: the SDK's algorithm over the public URL and the form fields."""
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, params)


def post_webhook(client: Client, path: str, params: dict[str, str], *, signature: str | None = "sign",
                 token: str = AUTH_TOKEN) -> Any:
    headers = {}
    if signature == "sign":
        headers["HTTP_X_TWILIO_SIGNATURE"] = twilio_signature(path, params, token)
    elif signature is not None:
        headers["HTTP_X_TWILIO_SIGNATURE"] = signature
    return client.post(path, params, **headers)


def inbound_text(from_phone: str, to: str, body: str, sid: str | None = None) -> dict[str, str]:
    return {"MessageSid": sid or "SM" + uuid.uuid4().hex, "AccountSid": ACCOUNT_SID, "From": from_phone, "To": to,
            "Body": body, "NumMedia": "0", "ApiVersion": "2010-04-01"}


@pytest.fixture
def sender_number(sender) -> Callable[..., SenderNumber]:  # noqa: F811
    def make(phone_number: str = "+447911000001", **fields: Any) -> SenderNumber:
        return SenderNumber.objects.create(organization=sender, phone_number=phone_number, **fields)

    return make
