"""The /analytics/ page reads the rollup with a fixed number of aggregate queries: with 1,000 messages over a week,
two variants and two inboxes it makes no more queries than with 10 on one day."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from analytics.rollup import rollup_days
from analytics.tests.factories import DAY, bounce, build_world, reply, send

pytestmark = pytest.mark.django_db

QUERY = {"start": (DAY - timedelta(days=7)).isoformat(), "end": DAY.isoformat()}
MAX_QUERIES = 12  # session, user, membership, campaigns, clients, the two figure queries, and a few to spare


def page_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        answer = client.get("/analytics/", QUERY)
    assert answer.status_code == 200
    assert b'id="analytics-figures"' in answer.content
    return len(queries)


def test_ten_and_a_thousand_messages_cost_the_same_queries(user, organization, client,
                                                           django_assert_max_num_queries):
    world = build_world(organization)
    days = [DAY - timedelta(days=n) for n in range(7)]
    client.force_login(user)

    send(world, 10)
    rollup_days(organization.pk, days)
    with django_assert_max_num_queries(MAX_QUERIES):
        few = page_queries(client)

    for day in days:
        for inbox in (0, 1):
            for variant in ("A", "B"):
                messages = send(world, 35, day=day, inbox=inbox, variant=variant)
                bounce(messages[0], "soft", day=day)
                reply(messages[1], "interested", day=day)
    assert len(world.messages) == 10 + 7 * 2 * 2 * 35 >= 990
    rollup_days(organization.pk, days)
    with django_assert_max_num_queries(MAX_QUERIES):
        many = page_queries(client)

    assert many == few >= 5  # the figure queries were counted
