"""The rule is a Wilson bound with a minimum sample: 3 bounces of 40 sends (7.5 %) is too little evidence to pause
anyone, 5 of 200 (2.5 %) is not surely over 2 %, while 30 of 1 000 (3 %) is surely over the 2 % warning though not
surely over the 3 % pause."""

from __future__ import annotations

import pytest

from monitoring.detection import run_pass
from monitoring.models import Incident
from monitoring.rules import rate_level, wilson

pytestmark = pytest.mark.django_db


def test_the_wilson_bound_needs_evidence_before_it_flags_a_rate():
    assert rate_level(3, 40, warn=0.02, critical=0.03, minimum=100) is None
    assert rate_level(5, 200, warn=0.02, critical=0.03, minimum=100) is None
    assert rate_level(30, 1000, warn=0.02, critical=0.03, minimum=100) == "warning"
    assert rate_level(60, 1000, warn=0.02, critical=0.03, minimum=100) == "critical"
    bound = wilson(30, 1000)
    assert bound.low < 0.03 < bound.high


def test_a_rate_over_the_threshold_on_too_few_sends_opens_nothing(make_inbox, sent_today):
    sent_today(make_inbox(), 40, bounces=3)
    sent_today(make_inbox(), 200, bounces=5)

    assert run_pass() == {"findings": 0}
    assert not Incident.objects.exists()
