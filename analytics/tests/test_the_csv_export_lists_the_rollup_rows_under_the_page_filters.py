"""/analytics/export.csv answers one line per rollup row under the same filters as the page (date range,
campaign, client), with the dimensions, every counter and the derived figures; the page links to it with its
own filters."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from analytics.models import COUNTERS
from analytics.rollup import rollup_day
from analytics.tests.factories import DAY, build_world, figures_query, reply, send

pytestmark = pytest.mark.django_db


def test_the_export_follows_the_filters(user, organization, client):
    spring = build_world(organization)
    autumn = build_world(organization, client="Initech", slug="autumn")
    reply(send(spring, 6, variant="A")[0], "interested")
    send(spring, 4, variant="B", inbox=1)
    send(autumn, 5)
    send(spring, 7, day=DAY + timedelta(days=3))  # outside the range
    for day in (DAY, DAY + timedelta(days=3)):
        rollup_day(organization.pk, day)
    client.force_login(user)

    answer = client.get("/analytics/export.csv", figures_query(client="acme"))

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="rex-analytics-2026-11-30-2026-12-01.csv"' in answer["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.content.decode())))
    assert [(r["day"], r["campaign"], r["step"], r["variant"], r["inbox"], r["client"], r["sent"]) for r in rows] == [
        ("2026-11-30", "spring", "1", "A", spring.inboxes[0].address, "acme", "6"),
        ("2026-11-30", "spring", "1", "B", spring.inboxes[1].address, "acme", "4")]
    assert set(COUNTERS) | {"delivered", "positive_reply_rate"} <= set(rows[0])
    assert (rows[0]["replies_interested"], rows[0]["positive_reply_rate"]) == ("1", str(round(1 / 6, 4)))

    only_autumn = client.get("/analytics/export.csv", figures_query(campaign="autumn"))
    assert [r["campaign"] for r in csv.DictReader(io.StringIO(only_autumn.content.decode()))] == ["autumn"]

    page = client.get("/analytics/", figures_query(campaign="autumn"))
    assert b'href="/analytics/export.csv?start=2026-11-30&amp;end=2026-12-01&amp;campaign=autumn"' in page.content
