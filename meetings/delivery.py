"""After a meeting changed (committed): write it to the owner's calendar and mail the ICS to both sides.

Run by the Celery task ``meetings.deliver`` (queued after commit by ``meetings.services``). It always delivers the
meeting as it is now, so a delivery queued for an older SEQUENCE that runs late sends the newer one and the later
task finds nothing left to do. Every outside call is idempotent by a key stored before it: the calendar write is a
PUT of the meeting's ``ics_uid``, each email's key is ``meeting-<id>-<sequence>-<side>`` (``inboxes.send_email``
keeps it before the SMTP call). The emails leave from the inbox of the conversation (the enrollment's sticky
inbox), threaded under its last messages.
"""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from django.db.models import Q

from campaigns.models import Enrollment
from inboxes.models import Inbox, OutboundMessage
from inboxes.sending import send_email
from meetings import invitations
from meetings.calendars import backend_for
from meetings.models import Meeting, MeetingDraft, MeetingStatus
from replies.models import InboundMessage

logger = logging.getLogger(__name__)


def thread_of(enrollment: Enrollment | None) -> tuple[str, str, str]:
    """(subject, In-Reply-To, References) that file an email in the enrollment's conversation."""
    if enrollment is None:
        return "", "", ""
    ids = enrollment.thread_message_ids.split()
    inbound = list(InboundMessage.objects.filter(enrollment=enrollment).exclude(message_id="")
                   .order_by("received_at", "id").values_list("message_id", flat=True))
    drafts = [str(pk) for pk in MeetingDraft.objects.filter(enrollment=enrollment, outbound_id__isnull=False)
              .values_list("outbound_id", flat=True)]
    answers = list(OutboundMessage.objects.filter(pk__in=drafts).exclude(message_id="").order_by("created_at")
                   .values_list("message_id", flat=True))
    references = list(dict.fromkeys([*ids, *inbound, *answers]))
    subject = enrollment.thread_subject
    return (f"Re: {subject}" if subject and not subject.lower().startswith("re:") else subject,
            references[-1] if references else "", " ".join(references))


def conversation_inbox(meeting: Meeting) -> Inbox | None:
    enrollment = meeting.enrollment
    if enrollment is not None and enrollment.inbox_id:
        return Inbox.objects.select_related("domain").get(pk=enrollment.inbox_id)
    reply = InboundMessage.objects.filter(Q(contact=meeting.contact) & ~Q(inbox=None)).order_by("-received_at").first()
    return Inbox.objects.select_related("domain").get(pk=reply.inbox_id) if reply else None


def _text(meeting: Meeting, zone: ZoneInfo, method: str) -> str:
    start, end = meeting.start.astimezone(zone), meeting.end.astimezone(zone)
    when = f"{start:%A %d %B %Y, %H:%M}-{end:%H:%M} ({zone.key})"
    if method == invitations.CANCEL:
        return f"The meeting on {when} is cancelled.\n"
    moved = meeting.status == MeetingStatus.RESCHEDULED
    return (f"{'The meeting moved to' if moved else 'Booked:'} {when}.\n\n"
            f"{invitations.summary(meeting)}\n\nThe invitation is attached; accept it to add it to your calendar.\n")


def deliver(meeting_id: int) -> str:
    """Bring the calendar and both invitations up to date with the meeting; what was done."""
    meeting = (Meeting.objects.select_related("calendar", "calendar__owner", "contact", "enrollment", "campaign",
                                              "organization").filter(pk=meeting_id).first())
    if meeting is None or meeting.delivered_sequence >= meeting.sequence:
        return "nothing to deliver"
    sequence = meeting.sequence
    cancelled = meeting.status == MeetingStatus.CANCELLED
    backend = backend_for(meeting.calendar)  # CalendarUnavailable propagates: the task retries
    if cancelled:
        backend.remove_event(meeting.ics_uid, meeting.calendar_event_id)
    else:
        event_id = backend.put_event(meeting.ics_uid, invitations.calendar_object(meeting))
        Meeting.objects.filter(pk=meeting.pk).update(calendar_event_id=event_id[:500])
    method = invitations.CANCEL if cancelled else invitations.REQUEST
    ics = invitations.invitation(meeting, method)
    attachment = ("invite.ics", ics, f"text/calendar; method={method}; charset=utf-8")
    inbox = conversation_inbox(meeting)
    done = [f"calendar {'cleared' if cancelled else 'written'} (sequence {sequence})"]
    if inbox is None:
        done.append("no inbox holds a conversation with this contact: no invitation was mailed")
    else:
        subject, in_reply_to, references = thread_of(meeting.enrollment)
        title = f"{'Cancelled' if cancelled else 'Invitation'}: {invitations.summary(meeting)}"
        sides = (("prospect", meeting.contact.email, meeting.contact, ZoneInfo(meeting.timezone)),
                 ("owner", meeting.calendar.owner_email, None, meeting.calendar.zone))
        for side, address, contact, zone in sides:
            send_email(organization=meeting.organization, inbox=inbox, to=address,
                       subject=subject or title, body=_text(meeting, zone, method),
                       idempotency_key=f"meeting-{meeting.pk}-{sequence}-{side}", campaign=meeting.campaign,
                       contact=contact, in_reply_to=in_reply_to, references=references, attachments=[attachment])
            done.append(f"{method} sent to {address}")
    Meeting.objects.filter(pk=meeting.pk, delivered_sequence__lt=sequence).update(delivered_sequence=sequence)
    return "; ".join(done)
