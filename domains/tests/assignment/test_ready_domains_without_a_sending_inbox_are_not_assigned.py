"""A ready domain whose inboxes are all paused or disabled (or that has none) cannot be assigned: nobody could
send from it. The refusal says how many such domains there are."""

import pytest

from campaigns.assignment import NothingAvailable, assign_domains
from campaigns.models import Campaign
from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain, states
from inboxes.models import Inbox


def test_only_domains_with_an_active_or_warming_inbox_are_assigned(organization):
    acme = pool(organization)
    ready_domain(acme, "a-paused.example", inbox_status=Inbox.Status.PAUSED)
    ready_domain(acme, "b-empty.example", inboxes=0)
    ready_domain(acme, "c-disabled.example", inbox_status=Inbox.Status.DISABLED)
    ready_domain(acme, "z-sending.example", inbox_status=Inbox.Status.WARMING, warmup_limit=5)
    campaign = Campaign.named(organization, "spring")

    with pytest.raises(NothingAvailable) as refused:
        assign_domains(organization, campaign=campaign, count=2, pool=acme, actor="alice")
    assert refused.value.available == 1
    assert str(refused.value) == ("only 1 ready domain in pool acme, 2 asked (3 more ready but without an active or "
                                  "warming inbox)")

    assigned = assign_domains(organization, campaign=campaign, count=1, pool=acme, actor="alice")

    assert [d.name for d in assigned] == ["z-sending.example"]
    assert states("a-paused.example", "b-empty.example", "c-disabled.example") == {
        "a-paused.example": DomainState.READY, "b-empty.example": DomainState.READY,
        "c-disabled.example": DomainState.READY}
