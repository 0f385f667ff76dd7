from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from inboxes.caps import CapReached
from inboxes.models import DomainDay, InboxDay
from inboxes.tests.caps_helpers import make_domain, make_inbox

NOW = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)
DAY = date(2026, 11, 24)


def test_full_inbox_rolls_back_the_domain_slot(organization):
    domain = make_domain(organization, daily_cap=10)
    inbox = make_inbox(domain, daily_cap=1)
    inbox.reserve_send(now=NOW)

    with pytest.raises(CapReached) as refused:
        inbox.reserve_send(now=NOW)

    assert refused.value.scope == "inbox"
    assert (refused.value.inbox, refused.value.domain, refused.value.day) == (inbox.address, domain.name, DAY)
    assert DomainDay.objects.get(domain=domain, day=DAY).sent == 1


def test_full_domain_refuses_its_other_inboxes(organization):
    domain = make_domain(organization, "shared.example", daily_cap=2)
    busy, other = make_inbox(domain, "busy"), make_inbox(domain, "other")
    busy.reserve_send(now=NOW)
    busy.reserve_send(now=NOW)

    with pytest.raises(CapReached) as refused:
        other.reserve_send(now=NOW)

    assert refused.value.scope == "domain"
    assert str(refused.value) == ("domain shared.example has used its 2 sends for 2026-11-24 "
                                  "(shared by all its inboxes)")
    assert not InboxDay.objects.filter(inbox=other, day=DAY, sent__gt=0).exists()
    assert DomainDay.objects.get(domain=domain, day=DAY).sent == 2


def test_refusal_inside_a_callers_transaction_leaves_the_transaction_usable(organization):
    from django.db import transaction

    inbox = make_inbox(make_domain(organization), daily_cap=1)
    with transaction.atomic():
        inbox.reserve_send(now=NOW)
        with pytest.raises(CapReached):
            inbox.reserve_send(now=NOW)
        # The refusal rolled back only its own savepoint: the caller's work (the first slot) stands.
        assert InboxDay.objects.get(inbox=inbox, day=DAY).sent == 1
    assert InboxDay.objects.get(inbox=inbox, day=DAY).sent == 1
