"""Fixtures for sending tests: a real SMTP server, TLS certificates, a fake SendGrid API, a webhook signer.

Everything listens on 127.0.0.1 and is stopped by the fixture that started it. Only what is outside the building
is replaced: the mail server (a real aiosmtpd speaking real SMTP, STARTTLS and AUTH) and SendGrid's HTTP API
(a local http.server that answers as SendGrid does). Our own code runs unchanged.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import email
import email.policy
import ipaddress
import json
import ssl
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ops.net import free_port

POSTAL_ADDRESS = "Acme Outbound Ltd, 1 Main Street, Springfield, IL 62701, USA"


# --- a real SMTP server ---------------------------------------------------------------------------------------------

@dataclass
class ReceivedMail:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes
    over_tls: bool
    login: str | None

    @property
    def message(self) -> EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)

    def text_body(self) -> str:
        return self.message.get_body(preferencelist=("plain",)).get_content()

    def html_body(self) -> str:
        return self.message.get_body(preferencelist=("html",)).get_content()


@dataclass
class AuthAttempt:
    mechanism: str
    login: str
    password: str
    over_tls: bool
    accepted: bool


@dataclass
class SMTPTestServer:
    host: str
    port: int
    messages: list[ReceivedMail] = field(default_factory=list)
    auth_attempts: list[AuthAttempt] = field(default_factory=list)
    controller: Controller | None = None


def _over_tls(smtp: Any, session: Any) -> bool:
    # session.ssl is set by STARTTLS only; an implicit-TLS connection shows on its transport.
    return bool(session.ssl) or smtp.transport.get_extra_info("ssl_object") is not None


class _RecordingHandler:
    def __init__(self, server: SMTPTestServer, data_delay: float, rcpt_reply: str) -> None:
        self.server = server
        self.data_delay = data_delay
        self.rcpt_reply = rcpt_reply

    async def handle_RCPT(self, smtp: Any, session: Any, envelope: Any, address: str, options: list[str]) -> str:
        if self.rcpt_reply:
            return self.rcpt_reply
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 OK"

    async def handle_DATA(self, smtp: Any, session: Any, envelope: Any) -> str:
        login = session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None
        self.server.messages.append(ReceivedMail(envelope.mail_from, list(envelope.rcpt_tos),
                                                 envelope.original_content or envelope.content,
                                                 over_tls=_over_tls(smtp, session), login=login))
        if self.data_delay:
            # A server that has the message but answers too late: the client cannot know it was accepted.
            await asyncio.sleep(self.data_delay)
        return "250 2.0.0 Message accepted"


@pytest.fixture
def smtp_server() -> Iterator[Callable[..., SMTPTestServer]]:
    """Start real SMTP servers on 127.0.0.1: ``smtp_server(tls=cert, credentials={"user": "password"})``.

    With ``tls`` the server offers STARTTLS with that certificate and requires it (``implicit_tls``: TLS from the
    first byte instead, as on port 465); with ``credentials`` it
    requires AUTH (PLAIN and LOGIN; ``mechanisms`` narrows them) and records every attempt. ``data_delay``
    makes it answer the end of DATA that many seconds late, after keeping the message; ``rcpt_reply`` is its
    answer to every RCPT TO (e.g. "550 5.1.1 No such user").
    """
    started: list[Controller] = []

    def start(*, tls: CertFiles | None = None, credentials: dict[str, str] | None = None,
              mechanisms: tuple[str, ...] = ("PLAIN", "LOGIN"), data_delay: float = 0.0,
              rcpt_reply: str = "", implicit_tls: bool = False) -> SMTPTestServer:
        server = SMTPTestServer(host="127.0.0.1", port=free_port())
        tls_context = None
        if tls is not None:
            tls_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            tls_context.load_cert_chain(tls.cert, tls.key)

        def authenticator(smtp: Any, session: Any, envelope: Any, mechanism: str, auth_data: Any) -> AuthResult:
            login = auth_data.login.decode() if isinstance(auth_data, LoginPassword) else ""
            password = auth_data.password.decode() if isinstance(auth_data, LoginPassword) else ""
            accepted = credentials is not None and credentials.get(login) == password
            server.auth_attempts.append(AuthAttempt(mechanism, login, password, _over_tls(smtp, session), accepted))
            # handled=False: aiosmtpd itself answers 535 to a refused login.
            return AuthResult(success=accepted, handled=False, auth_data=auth_data)

        excluded = [m for m in ("PLAIN", "LOGIN") if m not in mechanisms]
        controller = Controller(
            _RecordingHandler(server, data_delay, rcpt_reply), hostname=server.host, port=server.port,
            server_hostname="mx.test.example", ssl_context=tls_context if implicit_tls else None,
            tls_context=None if implicit_tls else tls_context, require_starttls=tls is not None and not implicit_tls,
            authenticator=authenticator if credentials is not None else None,
            # aiosmtpd counts only STARTTLS as TLS for AUTH; with implicit TLS every byte is encrypted anyway.
            auth_required=credentials is not None, auth_require_tls=tls is not None and not implicit_tls,
            auth_exclude_mechanism=excluded,
        )
        controller.start()
        started.append(controller)
        server.controller = controller
        return server

    yield start
    for controller in started:
        controller.stop()


# --- TLS certificates --------------------------------------------------------------------------------------------------

@dataclass
class CertFiles:
    ca: Path    # the CA certificate (what a client trusts)
    cert: Path  # the server's certificate, signed by that CA
    key: Path


def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_certificate_authority(directory: Path, label: str) -> CertFiles:
    """A CA and a server certificate for 127.0.0.1 and localhost, written as PEM files under ``directory``."""
    now = dt.datetime.now(dt.UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_cert = (
        x509.CertificateBuilder().subject_name(_name(f"{label} test CA")).issuer_name(_name(f"{label} test CA"))
        .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                     content_commitment=False, key_encipherment=False, data_encipherment=False,
                                     key_agreement=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    server_key = ec.generate_private_key(ec.SECP256R1())
    server_cert = (
        x509.CertificateBuilder().subject_name(_name("127.0.0.1")).issuer_name(ca_cert.subject)
        .public_key(server_key.public_key()).serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1)).not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1")),
                                                    x509.DNSName("localhost")]), critical=False)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    files = CertFiles(ca=directory / f"{label}-ca.pem", cert=directory / f"{label}-server.pem",
                      key=directory / f"{label}-server.key")
    files.ca.write_bytes(ca_cert.public_bytes(serialization.Encoding.PEM))
    files.cert.write_bytes(server_cert.public_bytes(serialization.Encoding.PEM))
    files.key.write_bytes(server_key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                                   serialization.NoEncryption()))
    return files


@pytest.fixture
def tls_certificates(tmp_path) -> Callable[[str], CertFiles]:
    return lambda label="smtp": make_certificate_authority(tmp_path / "tls", label)


# --- what a send needs ---------------------------------------------------------------------------------------------

@pytest.fixture
def sender(organization, settings):
    """The organization with a postal address, and sending settings that keep everything on 127.0.0.1."""
    settings.REX_MAIL_SINK = ""
    settings.REX_SMTP_CA_FILE = ""
    settings.REX_PUBLIC_BASE_URL = "https://rex.test.example"
    settings.SENDGRID_API_KEY = ""
    settings.SENDGRID_API_HOST = ""
    organization.postal_address = POSTAL_ADDRESS
    organization.save(update_fields=["postal_address"])
    return organization


@pytest.fixture
def make_inbox(sender) -> Callable[..., Any]:
    """An active inbox on a domain in use: ``make_inbox(smtp_port=..., daily_cap=..., provider=..., password=...)``."""
    from domains.models import DomainState
    from domains.tests.factories import add_inboxes, create_domain
    from inboxes.models import Inbox

    counter = iter(range(1, 1000))

    def make(*, password: str = "", **fields: Any) -> Inbox:
        n = next(counter)
        domain = create_domain(sender, f"send{n}.test.example", client="Main", state=DomainState.IN_USE, dns_ok=True)
        values: dict[str, Any] = {"display_name": "Jane Doe", "smtp_host": "127.0.0.1", "smtp_security": "none"}
        values.update(fields)
        [inbox] = add_inboxes(domain, local_part=f"jane{n}", password=password, **values)
        return inbox

    return make


@pytest.fixture
def make_contact(sender) -> Callable[..., Any]:
    from campaigns.models import Contact

    def make(email: str = "bob@client.example", phone: str = "", **fields: Any) -> Contact:
        return Contact.objects.create(organization=sender, email=email, phone=phone, **fields)

    return make


# --- a fake SendGrid Web API ------------------------------------------------------------------------------------------

@dataclass
class SendGridRequest:
    method: str
    path: str
    headers: dict[str, str]
    body: Any


class FakeSendGrid:
    """Answers ``POST /v3/mail/send`` like SendGrid: 202 with an ``X-Message-Id``, or what the test scripted."""

    def __init__(self) -> None:
        self.requests: list[SendGridRequest] = []
        self.message_ids: list[str] = []
        self._script: list[tuple[int, dict[str, Any]]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body: Any = json.loads(raw)
                except ValueError:
                    body = raw.decode("utf-8", "replace")
                with fake._lock:
                    fake.requests.append(SendGridRequest("POST", self.path, dict(self.headers.items()), body))
                    status, answer = fake._script.pop(0) if fake._script else (202, {})
                if self.path != "/v3/mail/send":
                    status, answer = 404, {"errors": [{"message": "not found"}]}
                payload = json.dumps(answer).encode() if answer else b""
                self.send_response(status)
                if status == 202:
                    message_id = uuid.uuid4().hex[:22]
                    fake.message_ids.append(message_id)
                    self.send_header("X-Message-Id", message_id)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, name="fake-sendgrid", daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(self, status: int, body: dict[str, Any] | None = None) -> None:
        """Answer the next request with ``status`` (SendGrid's error body shape)."""
        self._script.append((status, body or {"errors": [{"message": f"scripted {status}"}]}))

    def start(self) -> FakeSendGrid:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)


@pytest.fixture
def fake_sendgrid(settings, sender) -> Iterator[FakeSendGrid]:
    fake = FakeSendGrid().start()
    settings.SENDGRID_API_HOST = fake.base_url
    settings.SENDGRID_API_KEY = "SG.default-test-key"
    try:
        yield fake
    finally:
        fake.stop()


# --- SendGrid's Event Webhook signature ---------------------------------------------------------------------------

class WebhookSigner:
    """Signs event batches as SendGrid does: ECDSA P-256 / SHA-256 over ``timestamp + body``, base64 (DER)."""

    def __init__(self) -> None:
        self.private_key = ec.generate_private_key(ec.SECP256R1())
        der = self.private_key.public_key().public_bytes(serialization.Encoding.DER,
                                                         serialization.PublicFormat.SubjectPublicKeyInfo)
        self.public_key = base64.b64encode(der).decode()

    def headers(self, body: str, *, timestamp: int | None = None) -> dict[str, str]:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        signature = self.private_key.sign((stamp + body).encode(), ec.ECDSA(hashes.SHA256()))
        return {"X-Twilio-Email-Event-Webhook-Signature": base64.b64encode(signature).decode(),
                "X-Twilio-Email-Event-Webhook-Timestamp": stamp}

    def post(self, client: Any, events: list[dict[str, Any]], **kwargs: Any) -> Any:
        body = json.dumps(events)
        return client.post("/webhook/sendgrid", data=body, content_type="application/json",
                           headers=self.headers(body, **kwargs))


@pytest.fixture
def sendgrid_webhook(settings) -> WebhookSigner:
    signer = WebhookSigner()
    settings.SENDGRID_WEBHOOK_PUBLIC_KEY = signer.public_key
    return signer
