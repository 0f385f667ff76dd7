"""The ``queued`` frames of missions committed together go to the organization's group as one ``live.frames``
message, in order; the socket consumer turns it back into one websocket frame per event, and a socket that asked
for some streams gets only those."""

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from live.broadcast import organization_group
from live.consumers import LiveConsumer
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
        missions = [submit_canary(organization, tag=f"n{i}") for i in range(3)]

    message = receive(channel)
    assert message["type"] == "live.frames"
    assert [(f["type"], f["stream"], f["mission"]["id"], f["event"]["kind"], f["event"]["seq"])
            for f in message["frames"]] == [("mission.event", "missions", str(m.id), "queued", 1) for m in missions]


def test_a_lone_mission_is_broadcast_as_a_message_of_one_frame(organization):
    channel = listen(organization_group(organization.id))
    mission = submit_canary(organization, tag="n1")

    message = receive(channel)
    assert message["type"] == "live.frames"
    [frame] = message["frames"]
    assert (frame["type"], frame["mission"]["id"]) == ("mission.event", str(mission.id))


def consumer_sending_to(sent: list[dict], wanted: frozenset[str] | None = None) -> LiveConsumer:
    consumer = LiveConsumer()
    consumer.wanted = wanted

    async def send_json(content, close=False):
        sent.append(content)

    consumer.send_json = send_json
    return consumer


FRAMES = [
    *({"type": "mission.event", "stream": "missions", "mission": {"id": f"m{i}"}, "event": {"seq": 1}}
      for i in range(3)),
    {"type": "domain.event", "stream": "domains", "domains": [{"name": "acme-mail.example"}]},
]


def test_the_consumer_sends_one_frame_per_event_in_order():
    sent: list[dict] = []
    async_to_sync(consumer_sending_to(sent).live_frames)({"type": "live.frames", "frames": FRAMES})

    assert sent == FRAMES


def test_a_socket_that_asked_for_one_stream_gets_only_that_stream():
    sent: list[dict] = []
    consumer = consumer_sending_to(sent, frozenset({"domains"}))
    async_to_sync(consumer.live_frames)({"type": "live.frames", "frames": FRAMES})

    assert sent == FRAMES[3:]
