"""``GET /api/analytics/`` answers the rollup's figures for the caller's organization: the positive-reply,
reply and complaint rates are taken against delivered messages (sent less bounced), the bounce rate against sent;
the breakdowns per campaign, step and variant, domain, inbox and day add up to the totals; there is no open rate;
another organization's sends never count."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from analytics.rollup import rollup_day
from analytics.tests.factories import DAY, bounce, build_world, figures_query, reply, send
from conftest import api_token_for
from tenants.models import Organization

pytestmark = pytest.mark.django_db


def test_rates_use_delivered_and_breakdowns_add_up(user, organization):
    world = build_world(organization)
    a = send(world, 30, variant="A", inbox=0)
    b = send(world, 10, variant="B", inbox=1)
    for message in a[:8]:
        bounce(message, "hard")
    for message in a[8:11]:
        reply(message, "interested")
    reply(a[11], "not_interested")
    reply(b[0], "referral")
    reply(b[1], "auto_reply")  # a machine's answer: not a reply of a person
    other = Organization.objects.create(name="Globex", slug="globex")
    send(build_world(other, client="Globex", slug="globex"), 50)
    rollup_day(organization.pk, DAY)
    rollup_day(other.pk, DAY)

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)}")
    answer = client.get("/api/analytics/", figures_query())

    assert answer.status_code == 200, answer.content
    body = answer.json()
    totals = body["totals"]
    assert (totals["sent"], totals["bounced"], totals["delivered"]) == (40, 8, 32)
    assert (totals["replies"], totals["positive_replies"], totals["replies_auto_reply"]) == (5, 4, 1)
    assert totals["positive_reply_rate"] == round(4 / 32, 4)  # against delivered, not 4 / 40
    assert totals["reply_rate"] == round(5 / 32, 4)
    assert totals["bounce_rate"] == round(8 / 40, 4)
    assert not any("open" in key for key in totals)
    assert [stage["count"] for stage in body["funnel"]] == [40, 32, 5, 4, 0]

    steps = {(row["campaign"], row["step"], row["variant"]): row for row in body["steps"]}
    assert set(steps) == {("spring", 1, "A"), ("spring", 1, "B")}
    assert steps["spring", 1, "A"]["positive_reply_rate"] == round(3 / 22, 4)
    assert steps["spring", 1, "B"]["positive_reply_rate"] == round(1 / 10, 4)
    assert [(row["campaign"], row["sent"]) for row in body["campaigns"]] == [("spring", 40)]
    assert {row["domain"]: row["bounced_hard"] for row in body["domains"]} == {
        "spring-one.example": 8, "spring-two.example": 0}
    assert sum(row["sent"] for row in body["inboxes"]) == 40
    assert [(day["day"], day["sent"]) for day in body["days"]] == [(DAY.isoformat(), 40)]
    assert body["filters"] == figures_query()
