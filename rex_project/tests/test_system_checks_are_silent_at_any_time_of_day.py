"""Management commands print the system checks' warnings on stderr, and operators' scripts (and the GDPR commands'
one-line contract) read stderr. Django warns about a fixed time default (fields.W161) only when the check runs
within ten seconds of that time of day, so a model with ``default=dt.time(17, 0)`` broke a command's output for
ten seconds every afternoon. Run the checks as if it were exactly each hour of the day."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import checks
from django.db.models import fields


@pytest.mark.parametrize("hour", range(24))
def test_the_system_checks_report_nothing_at_the_top_of_every_hour(monkeypatch, hour):
    at = dt.datetime.combine(dt.date.today(), dt.time(hour, 0))
    monkeypatch.setattr(fields, "_get_naive_now", lambda: at)
    reported = [f"{message.id} {message.obj}" for message in checks.run_checks(include_deployment_checks=False)]
    assert reported == []
