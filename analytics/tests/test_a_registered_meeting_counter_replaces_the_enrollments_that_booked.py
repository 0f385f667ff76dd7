"""Meetings count enrollments that reached meeting_booked until an app that records meetings registers its own
counter (``analytics.meetings.register_meeting_counter``); from then on the rollup asks that counter."""

from __future__ import annotations

from datetime import datetime

import pytest

from analytics import meetings
from analytics.models import DailyStat
from analytics.rollup import rollup_day
from analytics.tests.factories import DAY, build_world, move, send
from campaigns.models import EnrollmentState

pytestmark = pytest.mark.django_db


@pytest.fixture
def restore_meeting_counter():
    saved = meetings.meeting_counter()
    yield
    meetings.register_meeting_counter(saved)


def test_the_registered_counter_is_what_counts(organization, restore_meeting_counter):
    world = build_world(organization)
    send(world, 3)
    move(world.enrollments[0], EnrollmentState.MEETING_BOOKED)
    rollup_day(organization.pk, DAY)
    assert DailyStat.objects.get(organization=organization).meetings == 1

    asked: list[tuple[int, datetime, datetime]] = []

    def calendar_meetings(organization_id: int, start: datetime, end: datetime) -> list[dict]:
        asked.append((organization_id, start, end))
        return [{"key_campaign": world.campaign.pk, "key_step": 0, "key_variant": "A",
                 "key_inbox": world.inboxes[0].pk, "key_domain": world.inboxes[0].domain_id, "n": 2}]

    meetings.register_meeting_counter(calendar_meetings)
    rollup_day(organization.pk, DAY)

    assert DailyStat.objects.get(organization=organization).meetings == 2
    [(organization_id, start, end)] = asked
    assert (organization_id, start.date(), (end - start).days) == (organization.pk, DAY, 1)
