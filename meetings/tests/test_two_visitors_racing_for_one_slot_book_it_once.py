"""Two visitors (two enrollments, two links) click the same slot of the owner's calendar at the same moment, on
PostgreSQL, from two threads: exactly one meeting is booked; the other is told the slot is gone (409) and nothing
of theirs is written (their enrollment keeps its state)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from campaigns.models import Enrollment
from meetings import services
from meetings.models import Meeting

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_visitors_racing_for_one_slot_book_it_once(meeting_world):
    assert connection.vendor == "postgresql"
    world = meeting_world()
    links = [world.link(world.enrollment(f"visitor{n}@client.example")) for n in range(2)]
    slot = services.open_slots(world.calendar)[0]
    barrier = threading.Barrier(2)
    outcomes: list[object] = []

    def visit(link) -> None:
        try:
            barrier.wait()
            outcomes.append(services.book(link, slot.isoformat(), "Asia/Tokyo"))
        except services.MeetingRefused as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=visit, args=(link,)) for link in links]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)

    booked = [o for o in outcomes if isinstance(o, Meeting)]
    refused = [o for o in outcomes if isinstance(o, services.MeetingRefused)]
    assert len(booked) == 1 and len(refused) == 1, outcomes
    assert refused[0].status == 409 and "pick another slot" in refused[0].reason
    assert Meeting.objects.filter(start=slot).count() == 1
    states = dict(Enrollment.objects.values_list("pk", "state"))
    winner = booked[0].enrollment_id
    loser = next(link.enrollment_id for link in links if link.enrollment_id != winner)
    assert states[winner] == "meeting_booked" and states[loser] == "active"
