"""The rollup is idempotent: a second run over the same day (an overlapping beat run, a backfill) writes the same
rows, reports no change and tells no page; an event recorded later (a relabel, a late bounce) changes the slice on
the next run, which tells the organization's pages after commit."""

from __future__ import annotations

import pytest

from analytics.models import COUNTERS, DailyStat
from analytics.rollup import STREAM, rollup_day
from analytics.tests.factories import DAY, bounce, build_world, reply, send

pytestmark = pytest.mark.django_db


def snapshot(organization) -> list[tuple]:
    return list(DailyStat.objects.filter(organization=organization).order_by("variant_label", "inbox_id")
                .values_list("day", "campaign_id", "step_index", "variant_label", "inbox_id", "domain_id", *COUNTERS))


def test_a_second_run_is_a_no_op_and_a_later_event_is_picked_up(organization, monkeypatch):
    world = build_world(organization)
    messages = send(world, 5)
    answer = reply(messages[0], "question")
    published: list[tuple] = []
    monkeypatch.setattr("analytics.rollup.publish", lambda org, stream, frame: published.append((org, stream, frame)))

    assert rollup_day(organization.pk, DAY) is True
    first = snapshot(organization)
    assert rollup_day(organization.pk, DAY) is False
    assert snapshot(organization) == first
    assert published == [(organization.pk, STREAM, {"type": "analytics.updated", "days": [DAY.isoformat()]})]

    type(answer).objects.filter(pk=answer.pk).update(corrected_category="interested")
    bounce(messages[1], "hard")
    assert rollup_day(organization.pk, DAY) is True
    [row] = DailyStat.objects.filter(organization=organization, day=DAY)
    assert (row.sent, row.bounced_hard, row.replies_question, row.replies_interested) == (5, 1, 0, 1)
    assert len(published) == 2
