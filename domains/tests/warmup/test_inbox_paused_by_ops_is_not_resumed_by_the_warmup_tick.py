"""An inbox ops paused by hand stays paused through the warmup ticks; only the engine's own pauses resume."""

from datetime import timedelta

import pytest

from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, make_domain
from inboxes.models import Inbox
from inboxes.warmup import tick

pytestmark = pytest.mark.django_db


def test_ops_pause_outlasts_the_pause_days_while_an_automatic_one_resumes(organization, settings):
    domain = make_domain(organization, state=DomainState.IN_USE, inboxes=2, inbox_status=Inbox.Status.ACTIVE)
    by_ops, by_engine = domain.inboxes.order_by("address")
    assert by_ops.pause_sending("ops: customer asked to stop this mailbox")
    Inbox.objects.filter(pk=by_engine.pk).update(status=Inbox.Status.PAUSED, paused_at=by_ops.created_at,
                                                 pause_reason="bounce rate 4.0% (limit 3.0%)")

    for day in range(1, settings.REX_WARMUP_PAUSE_DAYS + 3):
        tick(today=DAY0 + timedelta(days=day))

    by_ops.refresh_from_db()
    by_engine.refresh_from_db()
    assert by_ops.status == Inbox.Status.PAUSED
    assert by_ops.pause_reason == "ops: customer asked to stop this mailbox"
    assert by_engine.status in (Inbox.Status.WARMING, Inbox.Status.ACTIVE)
