"""What a delivery failure reported by Twilio's status callback does (``failed`` / ``undelivered`` with ErrorCode).

Called once per text that turns failed (``sms.webhooks``, in the callback's transaction):

1. the failure is recorded on the contact's step: the enrollment's ``last_error`` names the step, the status and
   what the error code means (no phone number: the enrollment is not where personal data lives);
2. 30005 (unknown number) and 30006 (landline or unreachable carrier): that phone is never texted again by the
   organization (``UndeliverablePhone``, checked by ``sms.consent``); email to the person goes on;
3. the sender number's failure share today (failures / texts it handed to Twilio on its local day) above
   ``REX_SMS_FAILURE_PAUSE_SHARE``, once it handed over at least ``REX_SMS_FAILURE_PAUSE_MIN_TEXTS``: the number is
   paused with the figures as its reason. Carriers filter, then block, numbers whose texts keep failing; pausing
   early keeps the number's reputation for when the list or the content is fixed.

The share is counted from the texts' own delivery statuses, not a counter: a replayed callback (ignored anyway,
``TwilioEvent``) or an ``undelivered`` followed by ``failed`` for one text never counts twice.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import IntegrityError, transaction

from campaigns.models import Enrollment, SequenceMessage
from inboxes.addresses import digest, normalize_phone
from inboxes.models import OutboundMessage
from sms.models import SenderNumber, SmsMessage, UndeliverablePhone

logger = logging.getLogger(__name__)

FAILED_STATUSES = frozenset({"failed", "undelivered"})
# The phone itself cannot take texts: no point texting it again, and every try counts against the sender.
UNDELIVERABLE_CODES = frozenset({"30005", "30006"})
# Twilio's delivery error codes (its error dictionary) a status callback carries, in the words ops need.
ERROR_MEANINGS = {
    "30003": "unreachable handset (off, out of coverage)",
    "30004": "blocked by the recipient or their carrier",
    "30005": "unknown number (it does not exist or is no longer in service)",
    "30006": "landline or unreachable carrier (cannot receive texts)",
    "30007": "filtered by the carrier as spam",
    "30008": "unknown carrier error",
    "30034": "the sender's A2P 10DLC registration was refused by the carrier",
}


def meaning(error_code: str) -> str:
    if not error_code:
        return "no error code given"
    return f"Twilio error {error_code}: {ERROR_MEANINGS.get(error_code, 'see Twilio error dictionary')}"


def record_failure(message: OutboundMessage, sms: SmsMessage, status: str, error_code: str) -> str:
    """Act on a text newly reported ``failed``/``undelivered``; returns what was done (for the TwilioEvent)."""
    done = [f"status {status} ({meaning(error_code)})"]
    if _note_on_enrollment(message, status, error_code):
        done.append("noted on the enrollment")
    if error_code in UNDELIVERABLE_CODES and message.to_address:
        _mark_undeliverable(message, error_code)
        done.append("phone no longer texted")
    if sms.sender_id is not None:
        paused = _pause_if_failing(SenderNumber.objects.get(pk=sms.sender_id))
        if paused:
            done.append(paused)
    return "; ".join(done)[:300]


def _note_on_enrollment(message: OutboundMessage, status: str, error_code: str) -> bool:
    step = SequenceMessage.objects.filter(message=message).values_list("enrollment_id", "step_index").first()
    if step is None:
        return False
    enrollment_id, step_index = step
    note = f"SMS of step {step_index + 1} {status}: {meaning(error_code)}"
    return bool(Enrollment.objects.filter(pk=enrollment_id).update(last_error=note[:500]))


def _mark_undeliverable(message: OutboundMessage, error_code: str) -> None:
    phone_hash = digest(normalize_phone(message.to_address))
    try:
        with transaction.atomic():  # a savepoint: losing the race to a concurrent callback is fine
            UndeliverablePhone.objects.get_or_create(
                organization_id=message.organization_id, phone_hash=phone_hash,
                defaults={"error_code": error_code, "source": message.provider_message_id})
    except IntegrityError:
        pass


def is_undeliverable(organization_id: int, phone: str) -> bool:
    return UndeliverablePhone.objects.filter(organization_id=organization_id,
                                             phone_hash=digest(normalize_phone(phone))).exists()


def failure_share_today(number: SenderNumber) -> tuple[int, int]:
    """(failed, handed to Twilio) of the number's texts attempted on its local day."""
    start, end = number.local_day_bounds()
    texts = (SmsMessage.objects.filter(sender=number, attempted_at__gte=start, attempted_at__lt=end)
             .exclude(outbound__provider_message_id=""))
    return texts.filter(delivery_status__in=FAILED_STATUSES).count(), texts.count()


def _pause_if_failing(number: SenderNumber) -> str:
    if number.status != SenderNumber.Status.ACTIVE:
        return ""
    failed, texts = failure_share_today(number)
    limit = settings.REX_SMS_FAILURE_PAUSE_SHARE
    if texts < settings.REX_SMS_FAILURE_PAUSE_MIN_TEXTS or failed <= limit * texts:
        return ""
    reason = (f"{failed} of {texts} texts today failed delivery ({failed / texts:.0%}, above {limit:.0%}): "
              "check the list and the content before resuming")
    if not number.pause(reason):
        return ""
    logger.warning("sender number %s paused: %s", number.pk, reason)
    return f"sender number paused: {reason}"
