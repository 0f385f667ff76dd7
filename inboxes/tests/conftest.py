"""Fixtures for sending tests: a real SMTP server, TLS certificates, a fake SendGrid API, a webhook signer, and
what a receiver needs to check DKIM signatures.

Everything listens on 127.0.0.1 and is stopped by the fixture that started it. Only what is outside the building
is replaced: the mail server (a real aiosmtpd speaking real SMTP, STARTTLS and AUTH), SendGrid's HTTP API
(a local http.server that answers as SendGrid does) and the receiver's DNS (REX's own DNS server on a free
port). Our own code runs unchanged.

DKIM on received mail: ``received.dkim_verified(dnsfunc)`` checks the topmost signature of a ``ReceivedMail``;
``dkim_verifies(raw, domain)`` checks raw bytes against the record REX would publish for ``domain``'s stored
key (no DNS server needed); the ``dkim_dns`` fixture publishes domains for real and answers over DNS.
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
from typing import TYPE_CHECKING, Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from ops.net import free_port

if TYPE_CHECKING:
    from domains.dns_server import LocalDnsServer, MemoryZone
    from domains.models import Domain

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

    def dkim_verified(self, dnsfunc: DnsFunc) -> bool:
        """Whether the topmost DKIM-Signature verifies, its key looked up with ``dnsfunc`` (see ``dkim_dnsfunc``
        and the ``dkim_dns`` fixture)."""
        return dkim_verified(self.raw, dnsfunc)

    def dkim_tags(self) -> dict[str, str]:
        """The tags of the topmost DKIM-Signature ({} when unsigned), whitespace removed: {"d": …, "s": …}."""
        header = self.message.get("DKIM-Signature")
        if header is None:
            return {}
        tags = (part.split("=", 1) for part in "".join(str(header).split()).split(";") if "=" in part)
        return {name: value for name, value in tags}


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


# --- DKIM: what a receiver checks ------------------------------------------------------------------------------

# dkimpy's key lookup: dnsfunc(b"<selector>._domainkey.<domain>.", timeout=…) -> the TXT value, or None.
DnsFunc = Callable[..., bytes | None]


def dkim_verified(raw: bytes, dnsfunc: DnsFunc) -> bool:
    """Whether the topmost DKIM-Signature of ``raw`` verifies, as a receiver checks it (dkimpy)."""
    import dkim

    return bool(dkim.verify(raw, dnsfunc=dnsfunc))


def published_dkim_records(domain: Domain) -> dict[str, str]:
    """{record name: TXT value} of the DKIM record REX publishes for ``domain``'s currently stored key ({} without
    one), built as ``domains.dns_provider`` builds it."""
    from core.crypto import decrypt
    from domains.dns_provider import dkim_public_key_der, wanted_records
    from domains.models import Domain

    stored = Domain.objects.get(pk=domain.pk)  # the stored key, not a stale instance's
    if not stored.dkim_private_key_encrypted:
        return {}
    public_der = dkim_public_key_der(decrypt(stored.dkim_private_key_encrypted))
    return {r.name.lower(): r.value for r in wanted_records(stored, public_der)
            if r.rtype == "TXT" and "._domainkey." in r.name}


def _normalized(name: bytes | str) -> str:
    text = name.decode("ascii") if isinstance(name, bytes) else name
    return text.rstrip(".").lower()


def dkim_dnsfunc(*domains: Domain) -> DnsFunc:
    """A dnsfunc that answers the DKIM records REX would publish for ``domains`` (their keys as stored now) and
    nothing else."""
    records: dict[str, str] = {}
    for domain in domains:
        records.update(published_dkim_records(domain))

    def lookup(name: bytes, timeout: float = 5) -> bytes | None:
        value = records.get(_normalized(name))
        return value.encode("ascii") if value is not None else None

    return lookup


def dkim_verifies(raw: bytes, domain: Domain) -> bool:
    """Whether ``raw`` carries a DKIM signature that verifies with the key REX publishes for ``domain``."""
    return dkim_verified(raw, dkim_dnsfunc(domain))


class DkimDns:
    """REX's own DNS server (``domains.dns_server``) serving what REX published, asked with dnspython."""

    def __init__(self, server: LocalDnsServer, zone: MemoryZone) -> None:
        self.server, self.zone = server, zone
        self._served: dict[int, set[str]] = {}  # domain pk -> the names served for it

    @property
    def nameserver(self) -> str:
        return self.server.nameserver

    def publish(self, domain: Domain) -> None:
        """Publish ``domain`` with the local provider (its DKIM key generated on first publish, as in production)
        and serve the ``DnsRecord`` rows it wrote, as ``rex_dns_serve`` would."""
        from domains.dns_provider import LocalDnsProvider

        published = LocalDnsProvider().publish(domain)
        # What was served for the domain before gives way to what is published now (a regenerated key, say).
        for name in {r.name for r in published} | self._served.pop(domain.pk, set()):
            self.zone.remove(name)
        self.zone.apexes.add(domain.name)
        for record in published:
            self.zone.add(record.name, record.rtype, record.value, ttl=record.ttl, priority=record.priority)
        self._served[domain.pk] = {r.name for r in published}

    def dnsfunc(self, name: bytes, timeout: float = 5) -> bytes | None:
        """dkimpy's key lookup, over real DNS (UDP, TCP when truncated) to this server."""
        import dns.exception
        import dns.resolver

        from domains.dns import make_resolver

        resolver = make_resolver([self.nameserver])
        try:
            answer = resolver.resolve(_normalized(name) + ".", "TXT", search=False)
        except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
            return None
        except dns.exception.DNSException as exc:
            raise AssertionError(f"the test DNS server did not answer for {_normalized(name)}: {exc}") from exc
        # A 2048-bit key comes as several 255-byte strings: receivers join them.
        return b"".join(answer[0].strings)


@pytest.fixture
def dkim_dns(settings) -> Iterator[DkimDns]:
    """A DNS server on 127.0.0.1 serving the records ``dkim_dns.publish(domain)`` published; ``dkim_dns.dnsfunc``
    is the lookup to give ``dkim.verify`` or ``ReceivedMail.dkim_verified``."""
    from domains.dns_server import LocalDnsServer, MemoryZone

    zone = MemoryZone()
    # Port 0: the server draws a port free on both UDP and TCP.
    server = LocalDnsServer("127.0.0.1", 0, zone).start()
    settings.REX_DNS_NAMESERVERS = [server.nameserver]
    try:
        yield DkimDns(server, zone)
    finally:
        server.stop()


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
