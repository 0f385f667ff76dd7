"""Fixtures of the meetings tests: a real CalDAV server (``radicale``, one per session, beside the replies tests'
Dovecot), the campaigns tests' sequence world (a real SMTP server, inboxes, a campaign), and ``meeting_world``: an
owner whose calendar is a fresh collection on that Radicale, bookable every day 08:00-20:00, and enrolled
contacts with their booking links.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from campaigns.models import Enrollment
from campaigns.tests.conftest import (  # noqa: F401 - the campaigns tests' sending and sequence world
    make_contact,
    make_inbox,
    run_sequencer,
    sender,
    sequence_world,
    smtp_server,
)
from meetings.models import BookingLink, CalendarAccount, CampaignMeetings
from meetings.services import link_for
from meetings.tests.radicale import PASSWORD, USER, RadicaleServer, running_radicale
from meetings.tokens import token_for
from replies.tests.actions.conftest import inbound  # noqa: F401 - inbound replies as the IMAP poller stores them
from replies.tests.conftest import dovecot  # noqa: F401 - the session's real IMAP server


@pytest.fixture(scope="session")
def radicale() -> Iterator[RadicaleServer]:
    """A running Radicale on 127.0.0.1 (``base_url``, ``new_calendar()``, ``add_busy()``, ``events()``)."""
    with running_radicale() as server:
        yield server


class MeetingWorld:
    def __init__(self, world: Any, owner: Any, calendar: CalendarAccount, radicale: RadicaleServer) -> None:
        self.world, self.owner, self.calendar, self.radicale = world, owner, calendar, radicale
        self.organization, self.campaign = world.organization, world.campaign

    def enrollment(self, email: str, **fields: Any) -> Enrollment:
        """A contact enrolled in the campaign (active, from the campaign's first inbox)."""
        contact = self.world.contact(email, **fields)
        return Enrollment.objects.create(organization=self.organization, campaign=self.campaign, contact=contact,
                                         inbox=self.world.inboxes[0], thread_subject="Quick question")

    def link(self, enrollment: Enrollment) -> BookingLink:
        return link_for(enrollment)

    def token(self, enrollment: Enrollment) -> str:
        return token_for(self.link(enrollment))


@pytest.fixture
def meeting_world(sequence_world, radicale, django_user_model) -> Callable[..., MeetingWorld]:  # noqa: F811
    """``meeting_world(zone="Europe/Berlin", approval_required=False, **calendar_fields)``."""

    def make(*, zone: str = "Europe/Berlin", approval_required: bool = False, **fields: Any) -> MeetingWorld:
        world = sequence_world()
        owner = django_user_model.objects.create_user("owner", "owner@acme.example", "pw", first_name="Olivia",
                                                      last_name="Owner")
        values: dict[str, Any] = {"work_days": [0, 1, 2, 3, 4, 5, 6], "work_start": dt.time(8, 0),
                                  "work_end": dt.time(20, 0), "meeting_minutes": 30, "buffer_minutes": 10,
                                  "min_notice_minutes": 60, "slot_step_minutes": 30}
        values.update(fields)
        calendar = CalendarAccount(organization=world.organization, owner=owner, owner_email="owner@acme.example",
                                   name="Olivia", backend=CalendarAccount.Backend.CALDAV,
                                   url=radicale.new_calendar(), username=USER, timezone=zone, **values)
        calendar.set_secret(PASSWORD)
        calendar.save()
        CampaignMeetings.objects.create(campaign=world.campaign, calendar=calendar,
                                        approval_required=approval_required)
        return MeetingWorld(world, owner, calendar, radicale)

    return make
