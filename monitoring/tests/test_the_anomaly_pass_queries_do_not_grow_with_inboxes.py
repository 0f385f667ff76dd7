"""The pass reads every inbox, domain, agent and queue in a fixed number of aggregate queries: ten times the
inboxes (all within bounds) costs the same queries."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from monitoring.detection import run_pass

pytestmark = pytest.mark.django_db


def queries_of_a_pass() -> int:
    with CaptureQueriesContext(connection) as captured:
        run_pass()
    return len(captured.captured_queries)


def test_the_anomaly_pass_queries_do_not_grow_with_inboxes(make_inbox, sent_today):
    for _ in range(2):
        sent_today(make_inbox(), 500, bounces=1)
    few = queries_of_a_pass()
    for _ in range(18):
        sent_today(make_inbox(), 500, bounces=1)

    assert queries_of_a_pass() == few
