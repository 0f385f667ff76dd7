"""The book-meeting agent: "book a meeting with jane@… next week" from the command box, and the follow-up of an
interested reply (``meetings.follow_up``).

decide: find the contact's conversation (the reply's enrollment, else the contact's newest enrollment in a
campaign that books into a calendar), ask the owner's calendar for the free slots in the window (in the contact's
zone) and pick two or three. execute: draft the answer with the booking link (``meetings.drafts``), then send it or
leave it for approval as the campaign says. Deterministic: no LLM is asked.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from agents.base import BaseAgent, FatalAgentError, MissionContext, RecoverableAgentError
from campaigns.models import Contact, Enrollment
from campaigns.params import BookMeetingParams
from campaigns.sequencing import contact_zone
from meetings import drafts
from meetings.availability import spread
from meetings.models import CampaignMeetings, DraftStatus
from meetings.services import MeetingRefused, link_for, open_slots
from meetings.tokens import booking_url
from replies.models import InboundMessage

PROPOSED_SLOTS = 3


class BookMeetingAgent(BaseAgent):
    name = "book_meeting"
    version = "1.0"
    description = ("Answers a contact with a booking link and two or three free slots from the owner's calendar; "
                   "sent at once or left for approval as the campaign says.")
    Params = BookMeetingParams
    # The draft and the email are in the database under the mission's key; a re-run must look there.
    reuse_results = False

    def decide(self, context: MissionContext, params: dict[str, Any]) -> dict[str, Any]:
        organization = context.mission.organization
        reply = None
        if params.get("reply"):
            reply = InboundMessage.objects.filter(organization=organization, pk=params["reply"]).first()
        enrollment = reply.enrollment if reply is not None and reply.enrollment_id else None
        if enrollment is None:
            contact = Contact.objects.filter(organization=organization, email=params["attendee"]).first()
            if contact is None:
                raise FatalAgentError(f"no contact {params['attendee']} in this organization", field="attendee")
            booking_campaigns = CampaignMeetings.objects.filter(campaign__organization=organization).values(
                "campaign_id")
            enrollment = (Enrollment.objects.filter(contact=contact, campaign_id__in=booking_campaigns)
                          .order_by("-enrolled_at", "-id").first())
            if enrollment is None:
                raise FatalAgentError(f"{params['attendee']} is in no campaign that books meetings into a calendar; "
                                      "set a calendar on the campaign first", field="attendee")
        try:
            link = link_for(enrollment)
            zone = contact_zone(enrollment.contact, enrollment.campaign)
            start = dt.datetime.combine(dt.date.fromisoformat(str(params["window_start"])), dt.time(0), zone)
            end = dt.datetime.combine(dt.date.fromisoformat(str(params["window_end"])), dt.time(0), zone)
            free = open_slots(link.calendar, start=start.astimezone(dt.UTC),
                              end=(end + dt.timedelta(days=1)).astimezone(dt.UTC))
        except MeetingRefused as exc:
            error = RecoverableAgentError if exc.status == 503 else FatalAgentError
            raise error(exc.reason, field=exc.field) from exc
        slots = spread(free, PROPOSED_SLOTS)
        return {"enrollment": enrollment.pk, "reply": reply.pk if reply else None, "link": link.pk,
                "slots": [s.isoformat() for s in slots], "minutes": link.calendar.meeting_minutes,
                "approval_required": CampaignMeetings.objects.get(campaign_id=enrollment.campaign_id)
                .approval_required}

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        enrollment = Enrollment.objects.select_related("contact", "campaign", "organization").get(
            pk=plan["enrollment"])
        link = enrollment.booking_link
        reply = InboundMessage.objects.filter(pk=plan["reply"]).first() if plan["reply"] else None
        draft = drafts.draft_answer(
            key=context.mission.idempotency_key or f"mission-{context.mission.pk}", enrollment=enrollment,
            reply=reply, url=booking_url(link), slots=[dt.datetime.fromisoformat(s) for s in plan["slots"]],
            minutes=plan["minutes"])
        if not plan["approval_required"] and draft.status == DraftStatus.PENDING:
            try:
                draft = drafts.send_draft(draft)
            except MeetingRefused as exc:
                error = RecoverableAgentError if exc.status == 502 else FatalAgentError
                raise error(exc.reason, field=exc.field) from exc
        return {"draft": draft.pk, "status": draft.status, "to": draft.to_address, "slots": draft.slots,
                "link_expires": link.expires_at.isoformat()}
