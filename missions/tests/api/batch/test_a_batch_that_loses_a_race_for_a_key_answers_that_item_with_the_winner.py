"""A concurrent request that stores one of a batch's keys between the batch's lookup and its insert makes the
insert fail on the unique key; the batch then goes item by item (``submit_mission``), and that item is answered
with the mission that won, the others created as usual."""

import pytest

from missions import services
from missions.models import Mission
from missions.services import MissionRequest, submit_missions
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db


def test_the_item_whose_key_was_taken_meanwhile_gets_the_winners_mission(organization, monkeypatch):
    winner = submit_canary(organization)
    # The batch looked before the winner committed: its lookup of clients' keys found nothing.
    real_filter = Mission.objects.filter
    monkeypatch.setattr(services.Mission.objects, "filter",
                        lambda *a, **kw: Mission.objects.none() if "idempotency_key__in" in kw else real_filter(*a, **kw))

    submissions = submit_missions(organization, [
        MissionRequest("canary", {"tag": "a"}), MissionRequest("canary", {}, idempotency_key=winner.idempotency_key)])

    assert [s.created for s in submissions] == [True, False]
    assert submissions[1].mission.pk == winner.pk
    assert Mission.objects.count() == 2
