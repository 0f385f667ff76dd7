"""A provision_domains mission whose payment is declined fails on its first attempt (a retry would be declined
again): nothing charged, no domain, no inbox, and the reason is in the mission's error."""

from collections.abc import Iterator

import pytest

from billing.models import LedgerEntry, Purchase
from billing.tests.providers import DecliningProvider, RecordingProvider
from domains.models import Domain
from domains.tests.agent_mission_helpers import run_attempt, steps, submit
from inboxes.models import Inbox
from missions.models import MissionStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def declining_provider(settings) -> Iterator[list[str]]:
    """The declining provider; yields the purchases it was asked to charge (it notes them in RecordingProvider)."""
    settings.REX_PAYMENT_PROVIDER = "billing.tests.providers.DecliningProvider"
    RecordingProvider.reset()
    yield RecordingProvider.charges
    RecordingProvider.reset()


def test_declined_payment_fails_the_mission_at_once_and_creates_no_domains(acme_pool, organization, declining_provider):
    mission = submit(organization, "provision_domains", {"count": 2, "client": "acme"})

    assert run_attempt(mission) == "failed"

    assert (mission.status, mission.attempts, mission.next_attempt_at) == (MissionStatus.FAILED, 1, None)
    purchase = Purchase.objects.get(mission=mission)
    assert purchase.status == Purchase.Status.FAILED
    assert mission.error["recoverable"] is False
    assert mission.error["message"] == f"purchase {purchase.pk} failed: payment declined: {DecliningProvider.REASON}"
    assert declining_provider == [str(purchase.pk)]  # asked once, never again
    assert LedgerEntry.objects.count() == 0
    assert Domain.objects.count() == 0 and Inbox.objects.count() == 0
    assert mission.result is None
    assert [row.action for row in steps(mission)] == ["validate", "decide", "execute", "run"]
    assert steps(mission)[-1].payload["outcome"] == "failed"
