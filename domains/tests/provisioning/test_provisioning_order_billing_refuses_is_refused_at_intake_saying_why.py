"""A provision_domains order for a client name billing could not name domains after ("!!!") is refused at intake
under ``params.client`` — no client has that name, so no mission is stored and nothing is bought (it used to be
accepted and then fail in the worker). The names are checked before the price: a refusal never costs a quote."""

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

    [message] = refused.value.errors["params"]["client"]
    assert message.startswith("No client named '!!!'.")
    assert Mission.objects.count() == 0
    assert Purchase.objects.count() == 0 and Domain.objects.count() == 0
