from __future__ import annotations

from datetime import UTC, datetime

import pytest

from inboxes.caps import CapReached
from inboxes.models import DomainDay, InboxDay
from inboxes.tests.caps_helpers import make_domain, make_inbox

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def test_release_gives_back_the_inbox_and_domain_slot(organization):
    domain = make_domain(organization, daily_cap=10)
    inbox = make_inbox(domain, daily_cap=1)
    day = inbox.reserve_send(now=NOW)
    with pytest.raises(CapReached):
        inbox.reserve_send(now=NOW)

    assert inbox.release_send(day) is True

    assert InboxDay.objects.get(inbox=inbox, day=day).sent == 0
    assert DomainDay.objects.get(domain=domain, day=day).sent == 0
    assert inbox.reserve_send(now=NOW) == day


def test_release_never_takes_a_counter_below_zero(organization):
    domain = make_domain(organization)
    inbox = make_inbox(domain)
    day = inbox.reserve_send(now=NOW)

    assert inbox.release_send(day) is True
    assert inbox.release_send(day) is False

    assert InboxDay.objects.get(inbox=inbox, day=day).sent == 0
    assert DomainDay.objects.get(domain=domain, day=day).sent == 0
