"""Twilio's webhooks: ``POST /webhook/twilio/status`` (delivery status callbacks) and ``POST /webhook/twilio/inbound``.

Both are verified with the SDK's ``RequestValidator`` over ``X-Twilio-Signature``, the form parameters and the URL
as Twilio requested it: ``REX_PUBLIC_BASE_URL`` + the path and query (behind a proxy the URL Django sees is not
the one Twilio signed). Refused with 403, nothing stored:

- unsigned (no header) or forged (a signature that is not the Auth Token's over that URL and those parameters);
- stale: signed with an Auth Token that is no longer the account's (rotated: ``TWILIO_AUTH_TOKEN`` holds the
  current one only), or for another account (``AccountSid`` other than ``TWILIO_ACCOUNT_SID``).

Replays are harmless: each (MessageSid, status) is acted on once (``TwilioEvent``); a replay answers 200 and does
nothing. A status never goes back (``delivered`` is not overwritten by a late ``sent``). A text that turns
``failed``/``undelivered`` is acted on by ``sms.delivery_failures`` (the step, the phone, the sender number).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio.request_validator import RequestValidator
from twilio.twiml.messaging_response import MessagingResponse

from inboxes.models import OutboundMessage
from sms.delivery_failures import FAILED_STATUSES, record_failure
from sms.inbound import handle_inbound
from sms.models import SmsMessage, TwilioEvent

logger = logging.getLogger(__name__)
View = Callable[[HttpRequest], HttpResponse]

# Twilio's message statuses, in the order a message moves through them; the final ones rank highest.
STATUS_RANK = {"accepted": 1, "scheduled": 1, "queued": 2, "sending": 3, "sent": 4, "receiving": 4, "received": 5,
               "delivered": 6, "undelivered": 6, "failed": 6, "read": 7, "canceled": 6}


def public_url(request: HttpRequest) -> str:
    return settings.REX_PUBLIC_BASE_URL.rstrip("/") + request.get_full_path()


def refusal(request: HttpRequest) -> str | None:
    """Why this request is not Twilio's, or None when it is."""
    signature = request.headers.get("X-Twilio-Signature", "")
    if not signature:
        return "unsigned"
    if not settings.TWILIO_AUTH_TOKEN:
        return "TWILIO_AUTH_TOKEN is not set: no request can be verified"
    if not RequestValidator(settings.TWILIO_AUTH_TOKEN).validate(public_url(request), request.POST, signature):
        return "bad signature (forged, altered, or signed with an Auth Token that is no longer current)"
    if request.POST.get("AccountSid", "") != settings.TWILIO_ACCOUNT_SID:
        return "signed for another account"
    return None


def _twiml(text: str = "") -> HttpResponse:
    response = MessagingResponse()
    if text:
        response.message(text)
    return HttpResponse(str(response), content_type="text/xml")


def twilio_webhook(*required: str) -> Callable[[View], View]:
    """A view Twilio calls: POST only, no CSRF (the signature stands for it), 403 unless Twilio signed it (nothing
    is read or stored before that), 400 without the ``required`` form fields."""

    def decorate(view: View) -> View:
        @wraps(view)
        @csrf_exempt
        @require_POST
        def checked(request: HttpRequest) -> HttpResponse:
            why = refusal(request)
            if why:
                logger.warning("twilio webhook %s refused: %s", request.path, why)
                return HttpResponse(f"refused: {why}", status=403, content_type="text/plain")
            missing = [name for name in required if not request.POST.get(name)]
            if missing:
                return HttpResponse(f"{' and '.join(missing)} required", status=400, content_type="text/plain")
            return view(request)
        return checked

    return decorate


@twilio_webhook("MessageSid", "MessageStatus")
def status_callback(request: HttpRequest) -> HttpResponse:
    sid, status = request.POST["MessageSid"], request.POST["MessageStatus"]
    message = OutboundMessage.objects.filter(channel="sms", provider_message_id=sid).first()
    with transaction.atomic():
        event = TwilioEvent.first_time(TwilioEvent.Kind.STATUS, sid, message_status=status,
                                       organization=message.organization if message else None)
        if event is None:
            return _twiml()  # a replay: acted on already
        if message is None:
            event.outcome = "no text of ours has this MessageSid"
        else:
            event.outcome = _record_status(message, status, request.POST.get("ErrorCode", ""))
        event.save(update_fields=["outcome"])
    return _twiml()


def _record_status(message: OutboundMessage, status: str, error_code: str) -> str:
    sms = SmsMessage.objects.select_for_update().filter(outbound=message).first()
    if sms is None:
        return "no SMS details for this message"
    if STATUS_RANK.get(sms.delivery_status, 0) > STATUS_RANK.get(status, 0):
        return f"{status} arrived after {sms.delivery_status}: kept {sms.delivery_status}"
    already_failed = sms.delivery_status in FAILED_STATUSES
    sms.delivery_status, sms.error_code, sms.delivery_updated_at = status[:16], error_code[:16], timezone.now()
    sms.save(update_fields=["delivery_status", "error_code", "delivery_updated_at"])
    if status in FAILED_STATUSES and not already_failed:
        # After the save: the sender's failure share counts this text.
        return record_failure(message, sms, status, error_code[:16])
    return f"status {status}"


@twilio_webhook("MessageSid", "From")
def inbound(request: HttpRequest) -> HttpResponse:
    return _twiml(handle_inbound(request.POST.dict()))
