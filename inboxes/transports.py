"""How a message leaves: one interface, an SMTP transport and a SendGrid (Web API v3) transport.

``Transport.send(message, inbox)`` hands one built message to the provider and returns the provider's message
id, or raises ``TransportError`` saying whether a later attempt may succeed (``recoverable``) and whether the
provider may have accepted the message all the same (``outcome_unknown``: a connection lost or a timeout after
the content was handed over). The sender (``inboxes.sending``) never sends a message with an unknown outcome
again: a duplicate cold email is worse than a missing one.

SMTP verifies the server's certificate (hostname included) against the system's trust store, or against
REX_SMTP_CA_FILE when set; an untrusted certificate is a configuration (or interception) problem, refused as
not recoverable, and nothing is sent.

SMTP DKIM-signs each message with its inbox's domain key (``inboxes.dkim``), over the exact bytes it sends; a
stored key that cannot be read refuses the send (not recoverable) before any connection is opened. SendGrid
does not sign here: it signs with the key of the sender's SendGrid authenticated domain.
"""

from __future__ import annotations

import http.client
import ipaddress
import logging
import smtplib
import ssl
import urllib.error
from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address
from django.utils.functional import cached_property

from core.crypto import SecretUnreadable
from inboxes.dkim import DkimError, Signer, signer_for

if TYPE_CHECKING:
    from inboxes.models import Inbox

logger = logging.getLogger(__name__)

# python_http_client (under the SendGrid SDK) logs the request headers, Authorization included, at DEBUG.
logging.getLogger("python_http_client").setLevel(logging.INFO)

# Our OutboundMessage id travels with the built message in this header; the SendGrid transport turns it into a
# custom arg (echoed in every event webhook), SMTP keeps it so bounce reports quoting the headers can be matched.
OUTBOUND_ID_HEADER = "X-REX-Outbound-ID"
SENDGRID_DEFAULT_HOST = "https://api.sendgrid.com"
SENDGRID_OUTBOUND_ARG = "rex_outbound_id"


class TransportError(Exception):
    def __init__(self, message: str, *, recoverable: bool, outcome_unknown: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.recoverable = recoverable
        self.outcome_unknown = outcome_unknown


class Transport(ABC):
    name: str = ""

    @abstractmethod
    def send(self, message: EmailMultiAlternatives, inbox: Inbox) -> str:
        """Hand ``message`` to the provider; the provider's message id, or ``TransportError``."""


def transport_for(inbox: Inbox) -> Transport:
    if inbox.provider == inbox.Provider.SENDGRID:
        return SendGridTransport()
    return SMTPTransport()


# --- SMTP --------------------------------------------------------------------------------------------------------

class VerifiedSMTPBackend(EmailBackend):
    """Django's SMTP backend with three changes.

    - TLS trusts REX_SMTP_CA_FILE when set (Django's own context trusts only the system store, and switches to
      an unverified-by-default client context when given a client certificate).
    - The envelope is sent step by step, so the transport knows whether the content was handed over when a
      connection breaks: before DATA nothing can have been delivered and a retry is safe; after, it is unknown.
    - With a ``dkim_signer`` each message is DKIM-signed over the bytes that go to DATA, before MAIL FROM: the
      signature covers exactly what the server receives (no re-serialization in between can break it), and a
      signing failure (``DkimError``) leaves the envelope unopened.
    """

    content_handed_over = False

    def __init__(self, *args: Any, dkim_signer: Signer | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.dkim_signer = dkim_signer

    @cached_property
    def ssl_context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(cafile=settings.REX_SMTP_CA_FILE or None)
        if self.ssl_certfile or self.ssl_keyfile:
            context.load_cert_chain(self.ssl_certfile, self.ssl_keyfile)
        return context

    def _send(self, email_message: Any) -> bool:
        if not email_message.recipients():
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        content = email_message.message().as_bytes(linesep="\r\n")
        if self.dkim_signer is not None:
            # Signed once, here: SIZE and DATA below both use these bytes.
            content = self.dkim_signer.sign(content)
        conn: smtplib.SMTP = self.connection
        conn.ehlo_or_helo_if_needed()
        options = [f"SIZE={len(content)}"] if conn.does_esmtp and conn.has_extn("size") else []
        code, reply = conn.mail(from_email, options)
        if code != 250:
            self._reset(conn)
            raise smtplib.SMTPSenderRefused(code, reply, from_email)
        refused = {}
        for recipient in recipients:
            code, reply = conn.rcpt(recipient)
            if code not in (250, 251):
                refused[recipient] = (code, reply)
        if len(refused) == len(recipients):
            self._reset(conn)
            raise smtplib.SMTPRecipientsRefused(refused)
        # From here a broken connection may hide an accepted message.
        self.content_handed_over = True
        code, reply = conn.data(content)
        if code != 250:
            self._reset(conn)
            raise smtplib.SMTPDataError(code, reply)
        return True

    @staticmethod
    def _reset(conn: smtplib.SMTP) -> None:
        try:
            conn.rset()
        except (smtplib.SMTPException, OSError):
            pass


def _secret(inbox: Inbox) -> str:
    """The inbox's decrypted password or API key; unreadable is a configuration error found before anything leaves."""
    try:
        return inbox.password or ""
    except SecretUnreadable as exc:
        raise TransportError(f"the secret of inbox {inbox.address} cannot be decrypted: {exc}",
                             recoverable=False) from exc


def _dkim_signer(inbox: Inbox) -> Signer:
    """The inbox's domain signer, its key checked before any connection: an unreadable key is a configuration error
    (sending unsigned would fail DMARC at every receiver), refused as not recoverable."""
    try:
        return signer_for(inbox.domain)
    except DkimError as exc:
        raise TransportError(f"inbox {inbox.address}: {exc}", recoverable=False) from exc


def _reply_text(reply: bytes | str) -> str:
    text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
    return " ".join(text.split())[:300]


def _by_code(code: int, what: str, reply: bytes | str) -> TransportError:
    # 4xx: the server asks to try again later; 5xx: it refuses for good.
    return TransportError(f"{what}: {code} {_reply_text(reply)}", recoverable=400 <= code < 500)


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class SMTPTransport(Transport):
    name = "smtp"

    def _backend(self, inbox: Inbox, dkim_signer: Signer) -> VerifiedSMTPBackend:
        sink = str(getattr(settings, "REX_MAIL_SINK", "") or "").strip()
        if sink and sink.lower() != "off":
            # A local stack's outbox: plain SMTP, no credentials (see REX_MAIL_SINK).
            host, _, port = sink.rpartition(":")
            if not port.isdigit():
                raise TransportError(f"REX_MAIL_SINK must be host:port, not {sink!r}", recoverable=False)
            return get_connection("inboxes.transports.VerifiedSMTPBackend", host=host or "127.0.0.1",
                                  port=int(port), username="", password="", use_tls=False, use_ssl=False,
                                  timeout=settings.REX_SMTP_TIMEOUT_SECONDS, dkim_signer=dkim_signer)
        if not inbox.smtp_host:
            raise TransportError(f"inbox {inbox.address} has no SMTP host", recoverable=False)
        if inbox.smtp_security == "none" and not _is_loopback(inbox.smtp_host):
            raise TransportError(f"inbox {inbox.address}: SMTP without TLS is only allowed to a relay on this "
                                 f"machine, not to {inbox.smtp_host}", recoverable=False)
        return get_connection(
            "inboxes.transports.VerifiedSMTPBackend",
            host=inbox.smtp_host, port=inbox.smtp_port,
            username=inbox.smtp_username or inbox.address, password=_secret(inbox),
            use_tls=inbox.smtp_security == "starttls", use_ssl=inbox.smtp_security == "ssl",
            timeout=settings.REX_SMTP_TIMEOUT_SECONDS, dkim_signer=dkim_signer,
        )

    def send(self, message: EmailMultiAlternatives, inbox: Inbox) -> str:
        backend = self._backend(inbox, _dkim_signer(inbox))
        server = f"{backend.host}:{backend.port}"
        try:
            try:
                backend.open()
            except ssl.SSLCertVerificationError as exc:
                raise TransportError(f"the TLS certificate of {server} is not trusted ({exc.verify_message}); "
                                     "nothing was sent", recoverable=False) from exc
            except smtplib.SMTPResponseException as exc:  # a refused AUTH or STARTTLS
                raise _by_code(exc.smtp_code, f"{server} refused the login", exc.smtp_error) from exc
            except smtplib.SMTPNotSupportedError as exc:
                raise TransportError(f"{server} does not offer what the inbox requires ({exc}); nothing was sent",
                                     recoverable=False) from exc
            except OSError as exc:  # refused, timed out, TLS handshake, disconnected: nothing was sent
                raise TransportError(f"cannot connect to {server}: {exc.__class__.__name__}: {exc}",
                                     recoverable=True) from exc
            try:
                delivered = backend.send_messages([message])
            except DkimError as exc:  # raised before MAIL FROM: the server has nothing of this message
                raise TransportError(f"{exc}; nothing was sent", recoverable=False) from exc
            except smtplib.SMTPRecipientsRefused as exc:
                code, reply = next(iter(exc.recipients.values()))
                raise _by_code(code, f"{server} refused the recipient", reply) from exc
            except smtplib.SMTPResponseException as exc:  # MAIL FROM or DATA answered with an error
                raise _by_code(exc.smtp_code, f"{server} refused the message", exc.smtp_error) from exc
            except OSError as exc:
                if backend.content_handed_over:
                    raise TransportError(f"the connection to {server} broke after the message was handed over "
                                         f"({exc.__class__.__name__}: {exc}); it may have been accepted",
                                         recoverable=False, outcome_unknown=True) from exc
                raise TransportError(f"the connection to {server} broke before the message was handed over "
                                     f"({exc.__class__.__name__}: {exc})", recoverable=True) from exc
            if not delivered:
                raise TransportError("the message has no recipient", recoverable=False)
        finally:
            try:
                backend.close()
            except (smtplib.SMTPException, OSError):
                # The outcome is already decided; a server that hangs up rudely on QUIT changes nothing.
                logger.info("closing the SMTP connection to %s failed", server, exc_info=True)
        return message.extra_headers.get("Message-ID", "")


# --- SendGrid -------------------------------------------------------------------------------------------------------

class SendGridTransport(Transport):
    name = "sendgrid"

    def _api_key(self, inbox: Inbox) -> str:
        key = (_secret(inbox) if inbox.provider == inbox.Provider.SENDGRID else "") or settings.SENDGRID_API_KEY
        if not key:
            raise TransportError(f"no SendGrid API key: inbox {inbox.address} has none and SENDGRID_API_KEY is empty",
                                 recoverable=False)
        return key

    @staticmethod
    def build_mail(message: EmailMultiAlternatives) -> Any:
        from sendgrid.helpers.mail import Content, CustomArg, Email, Header, Mail, To

        from_name, from_address = _split_address(message.from_email)
        mail = Mail(from_email=Email(from_address, from_name or None), subject=message.subject)
        for recipient in message.to:
            name, address = _split_address(recipient)
            mail.add_to(To(address, name or None))
        mail.add_content(Content("text/plain", message.body))
        for content, mimetype in message.alternatives:
            if mimetype == "text/html":
                mail.add_content(Content("text/html", content))
        for name, value in message.extra_headers.items():
            if name.lower() == OUTBOUND_ID_HEADER.lower():
                mail.add_custom_arg(CustomArg(SENDGRID_OUTBOUND_ARG, str(value)))
            else:
                mail.add_header(Header(name, str(value)))
        return mail

    def send(self, message: EmailMultiAlternatives, inbox: Inbox) -> str:
        import sendgrid
        from python_http_client import exceptions as http_errors

        client = sendgrid.SendGridAPIClient(api_key=self._api_key(inbox),
                                            host=settings.SENDGRID_API_HOST or SENDGRID_DEFAULT_HOST)
        body = self.build_mail(message).get()
        try:
            # The SDK's send() takes no timeout; its own HTTP client does (a hung API must not hold a worker).
            response = client.client.mail.send.post(request_body=body, timeout=settings.REX_SMTP_TIMEOUT_SECONDS)
        except http_errors.HTTPError as exc:
            status = int(exc.status_code)
            detail = _sendgrid_error(exc.body)
            recoverable = status == 429 or status >= 500
            raise TransportError(f"SendGrid refused the message: HTTP {status} {detail}".strip(),
                                 recoverable=recoverable) from exc
        except urllib.error.URLError as exc:
            # urllib raises URLError while connecting or writing the request: SendGrid has not got it.
            raise TransportError(f"cannot reach SendGrid: {exc.reason}", recoverable=True) from exc
        except (OSError, http.client.HTTPException) as exc:
            raise TransportError(f"no answer from SendGrid after the request was sent ({exc.__class__.__name__}: "
                                 f"{exc}); the message may have been accepted",
                                 recoverable=False, outcome_unknown=True) from exc
        provider_id = (response.headers.get("X-Message-Id") or "") if response.headers else ""
        if not provider_id:
            logger.warning("SendGrid accepted a message (HTTP %s) without an X-Message-Id", response.status_code)
        return provider_id


def _split_address(value: str) -> tuple[str, str]:
    from email.utils import parseaddr

    name, address = parseaddr(value)
    return name, address


def _sendgrid_error(body: bytes | str | None) -> str:
    """The first error message SendGrid gave, short; never the request (it carries the message)."""
    import json

    if not body:
        return ""
    try:
        errors = json.loads(body).get("errors") or []
        return "; ".join(str(e.get("message", ""))[:200] for e in errors[:3] if isinstance(e, dict))
    except (ValueError, AttributeError):
        text = body.decode("utf-8", "replace") if isinstance(body, bytes) else str(body)
        return " ".join(text.split())[:200]
