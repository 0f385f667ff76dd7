"""What REX does about an inbound message once it is matched and triaged: once, in one transaction.

| Category | What happens |
|---|---|
| any human reply | the contact's sequence stops (``replied``) before its next step can go; colleagues' too (same company) |
| unsubscribe | the person is suppressed on every channel at once (their sequences end ``unsubscribed``) |
| interested | the sequence stops; the owners are told (live and by email); the follow-ups apps registered run |
| | (``register_follow_up``: meetings queues its ``book_meeting`` mission); with none, a ``book_meeting`` |
| | mission is parked until an agent that books meetings is installed |
| referral | the sequence stops; the person named is created (source "referred by …") and enrolled in the |
| | campaign; their first email says who referred them |
| out_of_office | the sequence pauses until the return date + 1 business day (7 days when none is given), then resumes |
| auto_reply | nothing (recorded) |
| complaint | suppressed everywhere, counted against the sending inbox |
| bounce | ``inboxes.bounces.record_bounce``: hard suppresses, soft counts (suppressed at the third in 30 days), |
| | infrastructure never blames the contact and pauses the domain's inboxes with an ``Incident`` when repeated |

``act_on`` claims the message (``acted_at``) with a conditional update inside its transaction, so a message is
acted on once however many workers see it, and a failure rolls the claim back with everything else.
Notifications leave after commit.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from pydantic import ValidationError as PydanticValidationError

from campaigns.models import Contact, Enrollment, EnrollmentState
from campaigns.params import BookMeetingParams
from campaigns.sequencing import contact_zone
from campaigns.services import enroll
from campaigns.windows import add_business_days
from inboxes.bounces import count_against_inbox, record_bounce
from inboxes.models import BounceRecord, Suppression
from inboxes.suppression import suppress
from live.publish import after_commit, publish
from missions.services import park_mission
from replies.matching import Match
from replies.models import HUMAN_CATEGORIES, Category, InboundMessage
from tenants.models import Membership

logger = logging.getLogger(__name__)
E = EnrollmentState
STREAM = "replies"

# What apps above replies do about a category, inside ``act_on``'s transaction: (message, match, now) → what was
# done. Side effects must wait for the commit (``live.publish.after_commit``, ``submit_mission``).
FollowUp = Callable[[InboundMessage, Match, datetime], list[str]]
_FOLLOW_UPS: dict[str, list[FollowUp]] = {}


def register_follow_up(category: str, follow_up: FollowUp) -> None:
    """Run ``follow_up`` for every message acted on as ``category`` (registered once, in ``AppConfig.ready``)."""
    registered = _FOLLOW_UPS.setdefault(category, [])
    if follow_up not in registered:
        registered.append(follow_up)


def act_on(message: InboundMessage, match: Match, *, now: datetime | None = None) -> list[str]:
    """Carry out what the message's category asks (see the module docstring); the list of what was done."""
    now = now or timezone.now()
    with transaction.atomic():
        if not InboundMessage.objects.filter(pk=message.pk, acted_at__isnull=True).update(acted_at=now):
            return []  # another worker acted on it already
        category = message.effective_category
        handler = _HANDLERS.get(category)
        done = handler(message, match, now) if handler else []
        if category in HUMAN_CATEGORIES and category != Category.UNSUBSCRIBE:
            done += _stop_colleagues(match)
        InboundMessage.objects.filter(pk=message.pk).update(actions=done)
        message.acted_at, message.actions = now, done
    logger.info("inbound %s (%s): %s", message.pk, category, "; ".join(done) or "nothing to do")
    return done


def act_on_correction(message: InboundMessage, *, previous: str, now: datetime | None = None) -> list[str]:
    """A person relabelled a message REX had already acted on: do what the new category asks too.

    What was done for the old category is not undone (a suppression stays: being wrongly left alone is cheaper than
    writing again to someone who asked not to be written to); the actions list says both.
    """
    now = now or timezone.now()
    category = message.effective_category
    if category == previous or message.acted_at is None:
        return []  # not acted on yet: the pipeline acts on the corrected category when it gets there
    match = Match(outbound=message.outbound, contact=message.contact, enrollment=message.enrollment,
                  method=message.match)
    with transaction.atomic():
        handler = _HANDLERS.get(category)
        done = handler(message, match, now) if handler else []
        note = [f"relabelled {previous or 'untriaged'} to {category}", *done]
        InboundMessage.objects.filter(pk=message.pk).update(actions=[*message.actions, *note])
    return note


# --- human replies ---------------------------------------------------------------------------------------------

def _stop(enrollment: Enrollment | None, reason: str) -> list[str]:
    if enrollment is None:
        return []
    enrollment.refresh_from_db(fields=["state", "step_index"])
    if enrollment.stop_on_reply(reason, actor="replies"):
        return [f"stopped the sequence of {enrollment.contact.email} in {enrollment.campaign.slug}"]
    return []


def _stop_colleagues(match: Match) -> list[str]:
    done = []
    for enrollment in match.company_enrollments:
        done += _stop(enrollment, "a colleague at the same company replied")
    return done


def _reply(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    return _stop(match.enrollment, f"the contact replied ({message.effective_category})")


def _unsubscribe(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    email = match.contact.email if match.contact else message.from_address
    suppress(message.organization, email=email, contact=match.contact, reason=Suppression.Reason.UNSUBSCRIBE,
             source=f"reply {message.pk}")
    return [f"suppressed {email} on every channel (asked to be removed)"]


def _interested(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    done = _reply(message, match, now)
    who = match.contact.email if match.contact else message.from_address
    campaign = match.enrollment.campaign.slug if match.enrollment else ""
    frame = {"type": "interested", "id": message.pk, "from": who, "campaign": campaign,
             "subject": message.subject[:200]}
    publish(message.organization_id, STREAM, frame)
    owners = list(Membership.objects.filter(organization_id=message.organization_id, role=Membership.Role.OWNER)
                  .exclude(user__email="").values_list("user__email", flat=True))
    if owners:
        after_commit(_mail_owners(owners, who, campaign, message))
        done.append(f"told {', '.join(owners)}")
    follow_ups = _FOLLOW_UPS.get(Category.INTERESTED, [])
    for follow_up in follow_ups:
        done += follow_up(message, match, now)
    if not follow_ups:
        done += _meeting_follow_up(message, who, now)
    return done


def _meeting_follow_up(message: InboundMessage, attendee: str, now: datetime) -> list[str]:
    """The next step with someone interested is a meeting: a ``book_meeting`` mission for the coming week, parked
    until an agent that books meetings is installed (it resumes the missions waiting for it)."""
    today = now.date()
    try:
        params = BookMeetingParams.model_validate(
            {"attendee": attendee, "window_start": today + timedelta(days=1), "window_end": today + timedelta(days=7)},
            context={"today": today}).model_dump(mode="json")
    except PydanticValidationError:  # an attendee address the meeting params refuse: the owners were told anyway
        return []
    submission = park_mission(message.organization, mission_type="book_meeting", params=params,
                              waiting_for="an agent that books meetings (none is installed yet)",
                              idempotency_key=f"reply-{message.pk}-book-meeting")
    return [f"follow-up mission {submission.mission.pk} (book_meeting with {attendee}) waits for the meeting agent"]


def _mail_owners(owners: list[str], who: str, campaign: str, message: InboundMessage):
    def send() -> None:
        body = (f"{who} replied with interest{f' to campaign {campaign}' if campaign else ''}.\n\n"
                f"Subject: {message.subject}\n\n{(message.new_text or message.body_text)[:2000]}\n\n"
                f"Open the inbox: {settings.REX_PUBLIC_BASE_URL.rstrip('/')}/inbox/?id={message.pk}\n")
        send_mail(f"Interested reply from {who}", body, None, owners, fail_silently=False)
    send.__qualname__ = "replies.notify_interested"
    return send


def _referral(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    referral = message.details.get("referral") or {}
    email = str(referral.get("email", "")).strip().lower()
    done = _stop(match.enrollment, f"referred us to {email or 'someone else'}")
    if not email or match.enrollment is None:
        return done
    campaign = match.enrollment.campaign
    referrer = match.contact
    referrer_name = (f"{referrer.first_name} {referrer.last_name}".strip() if referrer else "") or message.from_name
    name = str(referral.get("name", "")).strip()
    first, _, last = name.partition(" ")
    new, created = Contact.objects.get_or_create(
        organization_id=message.organization_id, email=email,
        defaults={"first_name": first[:100], "last_name": last[:100],
                  "company": referrer.company if referrer else "",
                  "source": f"referred by {referrer.email if referrer else message.from_address} (reply {message.pk})",
                  "custom_fields": {"referred_by": referrer_name or message.from_address}})
    if campaign.contact_list_id:
        new.lists.add(campaign.contact_list_id)
    report = enroll(campaign, [new], actor="replies")
    done.append(f"{'created' if created else 'found'} contact {email}"
                + (f", enrolled in {campaign.slug}" if report.enrolled else ""))
    return done


def _out_of_office(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    enrollment = match.enrollment
    if enrollment is None:
        return []
    enrollment.refresh_from_db(fields=["state", "step_index"])
    returning = message.details.get("return_date")
    zone = contact_zone(enrollment.contact, enrollment.campaign)
    if returning:
        back = datetime.combine(date.fromisoformat(returning), time(0), zone)
        until = add_business_days(back, 1, zone)
    else:
        until = now + timedelta(days=7)
    until = max(until, now)
    if enrollment.pause(f"out of office until {returning or 'unknown'}", actor="replies", until=until):
        return [f"paused the sequence of {enrollment.contact.email} until {until:%Y-%m-%d}"]
    return []


# --- machine mail ----------------------------------------------------------------------------------------------

def _complaint(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    email = (match.contact.email if match.contact else "") or (match.outbound.to_address if match.outbound else "")
    if not email:
        return []
    suppress(message.organization, email=email, contact=match.contact, reason=Suppression.Reason.COMPLAINT,
             source=f"complaint {message.pk}")
    if match.outbound is not None:
        count_against_inbox(match.outbound, complaints=1)
    return [f"suppressed {email} everywhere (spam complaint)"]


def _bounce(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    bounce = message.details.get("bounce") or {}
    if bounce.get("class") not in BounceRecord.Class.values:
        return []
    outcome = record_bounce(message.organization, klass=bounce["class"], recipient=bounce.get("recipient", ""),
                            status=bounce.get("status", ""), reason=bounce.get("reason", ""), message=match.outbound,
                            inbox=None if match.outbound is not None else message.inbox, source=f"imap {message.pk}",
                            now=now)
    return outcome.done


_HANDLERS = {
    Category.UNSUBSCRIBE: _unsubscribe,
    Category.NOT_INTERESTED: _reply,
    Category.INTERESTED: _interested,
    Category.REFERRAL: _referral,
    Category.QUESTION: _reply,
    Category.OTHER: _reply,
    Category.NEEDS_REVIEW: _reply,  # a person reads it; the sequence must not write again meanwhile
    Category.OUT_OF_OFFICE: _out_of_office,
    Category.COMPLAINT: _complaint,
    Category.BOUNCE: _bounce,
}
