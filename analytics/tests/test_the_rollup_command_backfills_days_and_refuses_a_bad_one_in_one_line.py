"""``manage.py rex_analytics_rollup --since D --until D`` rolls up a range of past days (a backfill) for every
organization or one; a day that is not YYYY-MM-DD, a reversed range or an unknown organization exit non-zero with
one line."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from analytics.models import DailyStat
from analytics.tests.factories import DAY, build_world, send

pytestmark = pytest.mark.django_db


def test_backfill_and_refusals(organization):
    world = build_world(organization)
    send(world, 2, day=DAY - timedelta(days=1))
    send(world, 3, day=DAY)
    out = io.StringIO()

    call_command("rex_analytics_rollup", "--since", str(DAY - timedelta(days=1)), "--until", str(DAY),
                 "--organization", "acme", stdout=out)

    assert out.getvalue() == "rolled up 2 days: 2 organization-days changed\n"
    assert sorted(DailyStat.objects.values_list("day", "sent")) == [(DAY - timedelta(days=1), 2), (DAY, 3)]
    for args, message in ((["--since", "last week"], "'last week' is not a day (YYYY-MM-DD)"),
                          (["--since", "2026-12-02", "--until", "2026-12-01"], "--since must not be after --until"),
                          (["--organization", "nobody"], "no organization 'nobody'")):
        with pytest.raises(CommandError, match="^" + message.replace("(", r"\(").replace(")", r"\)") + "$"):
            call_command("rex_analytics_rollup", *args)
