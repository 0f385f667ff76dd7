"""The rollup turns what the apps recorded on a day into DailyStat rows, one per campaign, step, variant, inbox and
domain: sends, bounces by class, complaints, replies in their effective category (a person's correction wins),
unsubscribes and meetings; an event counts on the day it happened."""

from __future__ import annotations

from datetime import timedelta

import pytest

from analytics.models import DailyStat
from analytics.rollup import rollup_day
from analytics.tests.factories import DAY, bounce, build_world, move, reply, send
from campaigns.models import EnrollmentState

pytestmark = pytest.mark.django_db


def test_one_row_per_variant_and_inbox_with_every_figure(organization):
    world = build_world(organization)
    a = send(world, 10, variant="A", inbox=0)
    b = send(world, 4, variant="B", inbox=1)
    bounce(a[0], "hard")
    bounce(a[1], "soft")
    bounce(b[0], "infrastructure")
    reply(a[2], "interested")
    reply(a[3], "question", corrected="referral")  # relabelled by a person: counts as a referral
    reply(a[4], "complaint")
    reply(a[5], "out_of_office")
    reply(a[6], "bounce")  # a DSN: BounceRecord already counts it
    move(world.enrollments[7], EnrollmentState.UNSUBSCRIBED)
    move(world.enrollments[8], EnrollmentState.MEETING_BOOKED)
    send(world, 3, day=DAY + timedelta(days=1))  # another day: not in this slice
    reply(a[9], "interested", day=DAY + timedelta(days=1))

    assert rollup_day(organization.pk, DAY) is True

    rows = {(row.variant_label, row.inbox.address): row
            for row in DailyStat.objects.filter(organization=organization, day=DAY).select_related("inbox")}
    assert set(rows) == {("A", world.inboxes[0].address), ("B", world.inboxes[1].address)}
    first = rows["A", world.inboxes[0].address]
    assert (first.campaign_id, first.step_index, first.domain_id) == (world.campaign.pk, 0,
                                                                      world.inboxes[0].domain_id)
    assert (first.sent, first.bounced_hard, first.bounced_soft, first.bounced_infrastructure) == (10, 1, 1, 0)
    assert (first.complaints, first.replies_interested, first.replies_referral, first.replies_question,
            first.replies_out_of_office) == (1, 1, 1, 0, 1)
    assert (first.unsubscribes, first.meetings) == (1, 1)
    second = rows["B", world.inboxes[1].address]
    assert (second.sent, second.bounced_infrastructure, second.replies_interested) == (4, 1, 0)

    assert rollup_day(organization.pk, DAY + timedelta(days=1)) is True
    [next_day] = DailyStat.objects.filter(organization=organization, day=DAY + timedelta(days=1))
    assert (next_day.sent, next_day.replies_interested) == (3, 1)
