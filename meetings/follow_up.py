"""The meetings app's part in acting on an interested reply (registered with ``replies.actions``): a
``book_meeting`` mission for the coming week, queued in the reply's transaction and dispatched after its commit.

The key is the one replies used when it parked such missions (``reply-<id>-book-meeting``), so a reply acted on
twice, before or after this app was installed, still has one mission.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from pydantic import ValidationError

from campaigns.params import BookMeetingParams
from missions.services import submit_mission
from replies.matching import Match
from replies.models import InboundMessage


def book_meeting_for_reply(message: InboundMessage, match: Match, now: datetime) -> list[str]:
    attendee = match.contact.email if match.contact else message.from_address
    today = now.date()
    try:
        params = BookMeetingParams.model_validate(
            {"attendee": attendee, "window_start": today + timedelta(days=1), "window_end": today + timedelta(days=7),
             "reply": message.pk}, context={"today": today}).model_dump(mode="json")
    except ValidationError:  # an address the meeting params refuse: the owners were told anyway
        return []
    submission = submit_mission(message.organization, mission_type="book_meeting", params=params,
                                idempotency_key=f"reply-{message.pk}-book-meeting")
    return [f"book_meeting mission {submission.mission.pk}: the answer with a booking link for {attendee}"]
