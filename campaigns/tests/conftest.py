"""Fixtures of the campaigns tests: the sending world of the inboxes tests (a real SMTP server, an organization
ready to send, inboxes) and a sequence world on top of it (a campaign with a sequence and domains assigned).

``run_sequencer(now)`` runs the sequencer as beat and a worker would: the tick, then the send tasks it handed to
the broker. Only the broker is replaced (``send_task`` records what would be queued); everything else is REX's.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time
from typing import Any

import pytest

from campaigns import sequencer
from campaigns.models import Campaign, Contact, ContactList, Sequence, SequenceStep, StepVariant
from core.crypto import encrypt
from domains.dns_provider import generate_dkim_private_key
from domains.models import Domain
from inboxes.tests.conftest import (  # noqa: F401 - fixtures shared with the inboxes tests
    dkim_dns,
    make_contact,
    make_inbox,
    sender,
    smtp_server,
)


def build_sequence(organization: Any, name: str = "Three touches",
                   steps: list[tuple[str, Any]] | None = None) -> Sequence:
    """A sequence from ``[("email", [(label, subject, body), …]), ("wait", days), …]``."""
    steps = steps or [
        ("email", [("A", "Quick question, {{first_name|there}}", "Hi {{first_name|there}},\n\n{Worth|Up for} a chat?"),
                   ("B", "{{company|Your team}} and REX", "Hello {{first_name|there}}, a short call?")]),
        ("wait", 1),
        ("email", [("A", "", "Just bumping this up, {{first_name|there}}.")]),
        ("wait", 2),
        ("email", [("A", "", "Last note from me.")]),
    ]
    sequence = Sequence.objects.create(organization=organization, name=name)
    for position, (kind, spec) in enumerate(steps):
        step = SequenceStep.objects.create(sequence=sequence, position=position, kind=kind,
                                           wait_days=spec if kind == "wait" else 0)
        if kind == "email":
            for label, subject, body in spec:
                StepVariant.objects.create(step=step, label=label, subject_template=subject, body_template=body)
    return sequence


class SequenceWorld:
    def __init__(self, organization: Any, campaign: Campaign, contact_list: ContactList, inboxes: list[Any]) -> None:
        self.organization, self.campaign, self.list, self.inboxes = organization, campaign, contact_list, inboxes

    def contact(self, email: str, **fields: Any) -> Contact:
        contact = Contact.objects.create(organization=self.organization, email=email, **fields)
        contact.lists.add(self.list)
        return contact


@pytest.fixture
def sequence_world(sender, make_inbox, smtp_server) -> Callable[..., SequenceWorld]:  # noqa: F811
    """``sequence_world(inboxes=2, days=[0..4], start=time(9), end=time(17), zone="UTC", gap=(0, 0))``: an active
    campaign running ``build_sequence`` from inboxes on a real SMTP server, their domains signing with DKIM."""

    def make(*, inboxes: int = 1, days: list[int] | None = None, start: time = time(9), end: time = time(17),
             zone: str = "UTC", gap: tuple[int, int] = (0, 0), daily_cap: int = 40,
             steps: list[tuple[str, Any]] | None = None, status: str = Campaign.Status.DRAFT) -> SequenceWorld:
        server = smtp_server()
        sequence = build_sequence(sender, steps=steps)
        contact_list = ContactList.objects.create(organization=sender, name="Prospects")
        campaign = Campaign.objects.create(
            organization=sender, name="Autumn outreach", status=status, sequence=sequence,
            contact_list=contact_list, send_days=days if days is not None else [0, 1, 2, 3, 4], send_start=start,
            send_end=end, timezone=zone, min_gap_seconds=gap[0], max_gap_seconds=gap[1], from_name="Jane at Acme")
        made = [make_inbox(smtp_port=server.port, daily_cap=daily_cap) for _ in range(inboxes)]
        for inbox in made:
            Domain.objects.filter(pk=inbox.domain_id).update(
                campaign=campaign, dkim_private_key_encrypted=encrypt(generate_dkim_private_key()))
        world = SequenceWorld(sender, campaign, contact_list, made)
        world.smtp = server
        return world

    return make


@pytest.fixture
def run_sequencer(monkeypatch) -> Callable[[datetime], list[sequencer.SendReport]]:
    """Tick at ``now``, then run every send task the tick queued, in this process (the broker is the boundary)."""
    queued: list[tuple[list[int], str]] = []

    def record(name: str, args: list[Any] | None = None, **options: Any) -> None:
        assert name == sequencer.SEND_TASK
        queued.append((args[0], args[1]))

    monkeypatch.setattr(sequencer.celery_app, "send_task", record)

    def run(now: datetime) -> list[sequencer.SendReport]:
        sequencer.tick(now)
        reports = []
        while queued:
            ids, at = queued.pop(0)
            reports.append(sequencer.send_claimed(ids, datetime.fromisoformat(at)))
        return reports

    return run
