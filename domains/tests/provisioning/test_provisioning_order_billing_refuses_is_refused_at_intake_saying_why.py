"""A provision_domains order that billing refuses (a client name with nothing to name domains after) cannot be
priced, so intake refuses the command with billing's reason under ``params`` — no mission, nothing bought. (It
used to be accepted and then fail in the worker: a mission that costs money is priced before it is stored.)"""

import pytest

from billing.models import Purchase
from domains.models import Domain
from domains.tests.agent_mission_helpers import submit
from missions.models import Mission
from missions.services import CommandRejected

pytestmark = pytest.mark.django_db(transaction=True)


def test_an_order_billing_refuses_is_refused_at_intake_with_the_reason(organization):
    with pytest.raises(CommandRejected) as refused:
        submit(organization, "provision_domains", {"count": 2, "client": "!!!"})

    assert refused.value.errors == {
        "params": {"client": ["must contain letters or digits (it names the domain pool and the new domains)"]}}
    assert Mission.objects.count() == 0
    assert Purchase.objects.count() == 0 and Domain.objects.count() == 0
