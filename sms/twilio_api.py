"""The one place REX talks to Twilio's REST API, through the official SDK (``twilio.rest.Client``).

The account is ``TWILIO_ACCOUNT_SID`` / ``TWILIO_AUTH_TOKEN``; ``TWILIO_API_BASE_URL`` replaces the API's base
(tests run the real SDK against a local fake Twilio on 127.0.0.1; empty = Twilio's own). Timeouts are the SDK
HTTP client's (``REX_SMS_HTTP_TIMEOUT_SECONDS``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client

__all__ = ["SentText", "TwilioException", "TwilioRestException", "client", "find_sent", "send_text"]


class NotConfigured(TwilioException):
    """No account to send with: a ``TwilioException`` like any other failure to reach Twilio, so callers that
    handle those (leave the text as it is, try later) handle this too."""


def client() -> Client:
    if not settings.TWILIO_ACCOUNT_SID or not settings.TWILIO_AUTH_TOKEN:
        raise NotConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set to send texts")
    twilio = Client(settings.TWILIO_ACCOUNT_SID, settings.TWILIO_AUTH_TOKEN,
                    http_client=TwilioHttpClient(timeout=settings.REX_SMS_HTTP_TIMEOUT_SECONDS))
    if settings.TWILIO_API_BASE_URL:
        twilio.api.base_url = settings.TWILIO_API_BASE_URL.rstrip("/")
    return twilio


@dataclass(frozen=True)
class SentText:
    sid: str
    status: str


def send_text(*, to: str, body: str, from_number: str, messaging_service_sid: str, status_callback: str) -> SentText:
    """Create the message on Twilio. Raises ``TwilioRestException`` (Twilio answered an error) or
    ``TwilioException`` / ``OSError`` (no answer: whether Twilio accepted it is unknown)."""
    sender = {"messaging_service_sid": messaging_service_sid} if messaging_service_sid else {"from_": from_number}
    message = client().messages.create(to=to, body=body, status_callback=status_callback, **sender)
    return SentText(sid=message.sid, status=message.status or "")


def find_sent(*, to: str, body: str, from_number: str, messaging_service_sid: str, since: datetime) -> SentText | None:
    """The message Twilio holds to ``to`` with this body, created at ``since`` or later (newest first), or None.

    Not filtered by DateSent: a message still queued at Twilio has none yet, and must be found too.
    """
    filters = {} if messaging_service_sid else {"from_": from_number}
    for message in client().messages.list(to=to, limit=100, **filters):
        if message.body == body and (message.date_created is None or message.date_created >= since) and (
                not messaging_service_sid or message.messaging_service_sid in (None, messaging_service_sid)):
            return SentText(sid=message.sid, status=message.status or "")
    return None
