"""The ``queued`` events of missions committed together go to the organization's group as one ``mission.events``
message, in order; the dashboard consumer turns it back into one ``mission.event`` frame per event."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from missions.consumers import MissionEventsConsumer
from missions.events import organization_group
from missions.tests.factories import submit_canary

pytestmark = pytest.mark.django_db(transaction=True)


def listen(group: str) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(group, channel)
    return channel


def receive(channel: str) -> dict:
    return async_to_sync(get_channel_layer().receive)(channel)


def test_three_missions_of_one_transaction_are_broadcast_as_one_message(organization):
    channel = listen(organization_group(organization.id))
    with transaction.atomic():
        missions = [submit_canary(organization, n=i) for i in range(3)]

    message = receive(channel)
    assert message["type"] == "mission.events"
    assert [(item["mission"]["id"], item["event"]["kind"], item["event"]["seq"]) for item in message["events"]] == [
        (str(m.id), "queued", 1) for m in missions]


def test_a_lone_mission_is_broadcast_as_a_plain_mission_event(organization):
    channel = listen(organization_group(organization.id))
    mission = submit_canary(organization, n=1)

    message = receive(channel)
    assert message["type"] == "mission.event"
    assert message["mission"]["id"] == str(mission.id)


def test_the_consumer_sends_one_frame_per_event_in_order():
    sent: list[dict] = []
    consumer = MissionEventsConsumer()

    async def send_json(content, close=False):
        sent.append(content)

    consumer.send_json = send_json
    events = [{"mission": {"id": f"m{i}", "status": "queued"}, "event": {"seq": 1, "kind": "queued"}} for i in range(3)]
    async_to_sync(consumer.mission_events)({"type": "mission.events", "events": events})

    assert sent == [{"type": "mission.event", **item} for item in events]
