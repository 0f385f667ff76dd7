from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inboxes.caps import CapReached
from inboxes.models import Inbox
from inboxes.tests.caps_helpers import make_domain, make_inbox

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def take_all(inbox: Inbox) -> tuple[int, CapReached]:
    taken = 0
    while True:
        try:
            inbox.reserve_send(now=NOW)
        except CapReached as exc:
            return taken, exc
        taken += 1


def test_warming_inbox_sends_its_warmup_volume(organization):
    inbox = make_inbox(make_domain(organization, "warm.example"), status=Inbox.Status.WARMING, daily_cap=40,
                       warmup_limit=5, warmup_day=1)

    taken, refused = take_all(inbox)

    assert taken == 5
    assert refused.scope == "inbox"
    assert str(refused) == "inbox sales@warm.example has used its 5 sends for 2026-11-24 (warming, day 1)"


def test_warmup_volume_above_the_cap_is_held_to_the_cap(organization):
    inbox = make_inbox(make_domain(organization), status=Inbox.Status.WARMING, daily_cap=3, warmup_limit=12,
                       warmup_day=9)

    assert inbox.current_limit() == 3
    assert take_all(inbox)[0] == 3


@pytest.mark.parametrize("daily_cap", [1, 4])
def test_active_inbox_sends_its_daily_cap(organization, daily_cap):
    inbox = make_inbox(make_domain(organization), status=Inbox.Status.ACTIVE, daily_cap=daily_cap, warmup_limit=1)

    taken, refused = take_all(inbox)

    assert taken == daily_cap
    assert f"(active, cap {daily_cap})" in str(refused)
