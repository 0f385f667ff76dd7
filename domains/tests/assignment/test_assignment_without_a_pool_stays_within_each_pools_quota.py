"""Without a pool named, domains come from all the organization's pools in the spreading order, each pool giving
at most what its quota leaves; a shortage names each pool's limit."""

import pytest

from campaigns.assignment import NothingAvailable, assign_domains
from campaigns.models import Campaign
from domains.models import DomainState
from domains.tests.assignment_helpers import pool, ready_domain


def test_each_pool_contributes_at_most_its_remaining_quota(organization):
    acme = pool(organization, "Acme", quota=2)
    globex = pool(organization, "Globex", quota=5)
    ready_domain(acme, "acme-busy.example", state=DomainState.IN_USE)
    ready_domain(acme, "acme-1.example", inboxes=3)
    ready_domain(acme, "acme-2.example", inboxes=3)
    ready_domain(globex, "globex-1.example", inboxes=1)
    ready_domain(globex, "globex-2.example", inboxes=1)

    assigned = assign_domains(organization, campaign=Campaign.named(organization, "spring"), count=3, actor="alice")

    # acme's domains have the most capacity, but its quota leaves room for one.
    assert [d.name for d in assigned] == ["acme-1.example", "globex-1.example", "globex-2.example"]

    with pytest.raises(NothingAvailable) as refused:
        assign_domains(organization, campaign=Campaign.named(organization, "summer"), count=1, actor="alice")
    assert refused.value.available == 0
    assert str(refused.value) == ("no domain available across pools acme, globex, 1 asked — "
                                  "acme: 1 ready, quota of 2 reached (2 in use); globex: 0 ready")
