"""Beat runs the sequencer's tick every minute on the control queue (never behind mission work); a second tick at
the same moment, or one that overlaps the first, finds nothing to claim: claimed enrollments belong to their send
task until the claim runs out."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest
from django.db import connection

from campaigns import sequencer
from campaigns.models import Enrollment
from campaigns.services import start_campaign
from campaigns.tasks import sequencer_tick
from rex_project.celery import CONTROL_QUEUE, app

pytestmark = pytest.mark.django_db(transaction=True)
NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)


def test_sequencer_tick_runs_from_beat_on_the_control_queue(settings):
    entry = app.conf.beat_schedule["sequencer-tick"]
    assert entry["task"] == sequencer_tick.name == "campaigns.sequencer_tick"
    assert entry["options"]["queue"] == CONTROL_QUEUE
    assert entry["schedule"] == settings.REX_SEQUENCER_INTERVAL_SECONDS


def test_two_ticks_at_once_never_claim_an_enrollment_twice(sequence_world, monkeypatch):
    world = sequence_world()
    for n in range(40):
        world.contact(f"c{n}@client.example")
    start_campaign(world.campaign, contact_list=world.list)
    handed: list[int] = []
    lock = threading.Lock()

    def record(name, args=None, **options):
        with lock:
            handed.extend(args[0])

    monkeypatch.setattr(sequencer.celery_app, "send_task", record)
    barrier = threading.Barrier(2)

    def tick() -> None:
        barrier.wait()
        try:
            sequencer.tick(NOW, batch_size=7)
        finally:
            connection.close()

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    assert sorted(handed) == sorted(Enrollment.objects.values_list("pk", flat=True))  # each once, all of them
    assert sequencer.tick(NOW).claimed == 0
