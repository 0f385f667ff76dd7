"""The one gate every text passes before it is sent: suppression, recorded consent, quiet hours.

In this order (the first that refuses decides):

1. the contact (their phone or their email) is on the suppression list shared with email
   (``inboxes.suppression``): ``suppressed`` (the sender stores a suppressed row and the sequence stops);
2. no valid phone number, or one Twilio reported as unable to take texts (30005/30006,
   ``sms.delivery_failures``): never sent (email to the person goes on);
3. no SMS consent recorded on the contact (``Contact.sms_consent_at`` and ``sms_consent_source``): never sent;
4. the recipient's local time is unknown (no zone on the contact and none its number's country or area code
   settles): never sent, reported;
5. outside 08:00-21:00 in the recipient's local time (TCPA and most national rules): retried at the next 08:00.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from typing import TYPE_CHECKING

from inboxes.suppression import is_suppressed
from sms.delivery_failures import is_undeliverable
from sms.numbers import recipient_zone, to_e164

if TYPE_CHECKING:
    from campaigns.models import Contact

QUIET_HOURS_END = time(8, 0)    # texts may go from 08:00…
QUIET_HOURS_START = time(21, 0)  # …until 21:00, recipient's local time


@dataclass(frozen=True)
class Verdict:
    phone: str = ""
    suppressed: bool = False
    never: str = ""               # why this contact is never texted (as things stand)
    wait_until: datetime | None = None
    wait_reason: str = ""

    @property
    def allowed(self) -> bool:
        return not (self.suppressed or self.never or self.wait_until)


def check(contact: Contact, now: datetime) -> Verdict:
    phone = to_e164(contact.phone) or ""
    if is_suppressed(contact.organization, email=contact.email, phone=phone or contact.phone):
        return Verdict(phone=phone, suppressed=True)
    if not phone:
        return Verdict(never="no valid phone number (E.164) on the contact")
    if is_undeliverable(contact.organization_id, phone):
        return Verdict(phone=phone, never="its phone number cannot receive texts (Twilio reported it unknown, a "
                                          "landline or an unreachable carrier); email is unaffected")
    if not contact.has_sms_consent:
        return Verdict(phone=phone, never="no SMS consent recorded (source and time) for this contact")
    zone = recipient_zone(contact.timezone, phone, now)
    if zone is None:
        # The reason names no number: it is kept on the enrollment, which is not where personal data lives.
        return Verdict(phone=phone, never="the recipient's local time is unknown (no time zone on the contact, and "
                                          "its number's country spans zones): quiet hours cannot be kept")
    local = now.astimezone(zone)
    if QUIET_HOURS_END <= local.time() < QUIET_HOURS_START:
        return Verdict(phone=phone)
    day = local.date() if local.time() < QUIET_HOURS_END else local.date() + timedelta(days=1)
    opening = datetime.combine(day, QUIET_HOURS_END, zone)
    return Verdict(phone=phone, wait_until=opening,
                   wait_reason=f"quiet hours: it is {local:%H:%M} for the recipient ({zone.key}); texts go "
                               "08:00-21:00 their time")
