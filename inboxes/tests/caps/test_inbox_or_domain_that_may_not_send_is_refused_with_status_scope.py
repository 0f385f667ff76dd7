from __future__ import annotations

import pytest

from domains.models import DomainState
from inboxes.caps import CapReached
from inboxes.models import DomainDay, Inbox, InboxDay
from inboxes.tests.caps_helpers import make_domain, make_inbox


@pytest.mark.parametrize("status", [Inbox.Status.PAUSED, Inbox.Status.DISABLED, Inbox.Status.PENDING])
def test_inbox_status_that_cannot_send_is_refused(organization, status):
    inbox = make_inbox(make_domain(organization), status=status)

    with pytest.raises(CapReached) as refused:
        inbox.reserve_send()

    assert refused.value.scope == "status"
    assert f"inbox {inbox.address} cannot send: it is {status}" in str(refused.value)
    assert not InboxDay.objects.filter(sent__gt=0).exists()
    assert not DomainDay.objects.filter(sent__gt=0).exists()


@pytest.mark.parametrize("state", [DomainState.PENDING, DomainState.DNS_PENDING, DomainState.RESTING,
                                   DomainState.BURNED, DomainState.RETIRED])
def test_domain_state_that_cannot_send_is_refused(organization, state):
    domain = make_domain(organization, state=state)
    inbox = make_inbox(domain, status=Inbox.Status.ACTIVE)

    with pytest.raises(CapReached) as refused:
        inbox.reserve_send()

    assert refused.value.scope == "status"
    assert f"its domain {domain.name} is {state}" in str(refused.value)
    assert not DomainDay.objects.filter(sent__gt=0).exists()


def test_a_pause_committed_after_the_inbox_was_loaded_is_seen(organization):
    inbox = make_inbox(make_domain(organization), status=Inbox.Status.ACTIVE)
    stale = Inbox.objects.get(pk=inbox.pk)
    assert inbox.pause_sending("bounce rate 4.1% over 7 days")

    with pytest.raises(CapReached) as refused:
        stale.reserve_send()

    assert refused.value.scope == "status"
    assert "(bounce rate 4.1% over 7 days)" in str(refused.value)
    assert stale.status == Inbox.Status.PAUSED  # the caller's copy is refreshed
