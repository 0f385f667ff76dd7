"""A campaign running email, wait 2 business days, email, with enrollments made in bulk; the broker recorded."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import time as dtime
from typing import Any

import pytest

NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday, 12:00 UTC
OPEN_ALL_DAY = {"send_days": list(range(7)), "send_start": dtime(0, 0), "send_end": dtime(23, 59)}
OFFICE_HOURS = {"send_days": list(range(7)), "send_start": dtime(9, 0), "send_end": dtime(17, 0)}


@dataclass
class Sends:
    """What ``celery_app.send_task`` was asked to send: (task name, enrollment ids, queue) per call."""

    calls: list[tuple[str, list[int], str]] = field(default_factory=list)

    def __call__(self, name: str, args: Any = None, kwargs: Any = None, queue: str = "", **options: Any) -> None:
        self.calls.append((name, list(args[0]), queue))

    def ids(self) -> list[int]:
        return [pk for _, ids, _ in self.calls for pk in ids]


@pytest.fixture
def sends(monkeypatch) -> Sends:
    """The broker boundary: the sequencer's send tasks are recorded instead of published."""
    recorder = Sends()
    monkeypatch.setattr("campaigns.sequencer.celery_app.send_task", recorder)
    return recorder


@pytest.fixture
def make_campaign(organization) -> Callable[..., Any]:
    """``make_campaign(running, due, zones=[...], **window)``: an active campaign and its enrollments.

    ``running`` enrollments in all, ``due`` of them due at NOW (alternately active on the first email and waiting
    with their wait over, in order of due time), the others due in the next days. Contact i gets
    ``zones[i % len(zones)]`` as its own time zone ("" = none: the campaign's, UTC).
    """
    from campaigns.models import Campaign, Contact, Enrollment, EnrollmentState, Sequence, SequenceStep, StepVariant

    E = EnrollmentState
    sequence = Sequence.objects.create(organization=organization, name="Three steps")
    first = SequenceStep.objects.create(sequence=sequence, position=0, kind=SequenceStep.Kind.EMAIL)
    SequenceStep.objects.create(sequence=sequence, position=1, kind=SequenceStep.Kind.WAIT, wait_days=2)
    last = SequenceStep.objects.create(sequence=sequence, position=2, kind=SequenceStep.Kind.EMAIL)
    for step in (first, last):
        StepVariant.objects.create(step=step, label="A", subject_template="Hello", body_template="Hi {{first_name}}")
    counter = iter(range(1000))

    def make(running: int, due: int, zones: tuple[str, ...] = ("",), **window: Any) -> Campaign:
        n = next(counter)
        campaign = Campaign.objects.create(organization=organization, name=f"Campaign {n}", sequence=sequence,
                                           status=Campaign.Status.ACTIVE, timezone="UTC",
                                           **(window or OPEN_ALL_DAY))
        contacts = Contact.objects.bulk_create(
            Contact(organization=organization, email=f"c{i}@campaign{n}.example", timezone=zones[i % len(zones)])
            for i in range(running))
        enrollments = []
        for i, contact in enumerate(contacts):
            waiting = i % 2 == 1
            next_due = NOW - timedelta(minutes=due - i) if i < due else NOW + timedelta(hours=1 + i)
            enrollments.append(Enrollment(organization=organization, campaign=campaign, contact=contact,
                                          state=E.WAITING if waiting else E.ACTIVE, step_index=2 if waiting else 0,
                                          next_due_at=next_due))
        Enrollment.objects.bulk_create(enrollments)
        return campaign

    return make
