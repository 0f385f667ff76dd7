"""A sending world for the analytics tests, built with bulk inserts: one client pool with two domains and an inbox
each, a campaign on a sequence whose first email has variants A and B, and sent messages with what came back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from campaigns.models import (
    Campaign,
    Contact,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    Sequence,
    SequenceMessage,
    SequenceStep,
    StepVariant,
)
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import BounceRecord, Inbox, OutboundMessage
from replies.models import InboundMessage
from tenants.models import Organization

DAY = date(2026, 11, 30)  # a Monday


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UTC)


@dataclass
class World:
    organization: Organization
    campaign: Campaign
    step: SequenceStep
    variants: dict[str, StepVariant]
    inboxes: list[Inbox]
    messages: list[OutboundMessage] = field(default_factory=list)
    enrollments: list[Enrollment] = field(default_factory=list)


def build_world(organization: Organization, *, client: str = "Acme", slug: str = "spring") -> World:
    sequence = Sequence.objects.create(organization=organization, name=f"{slug} sequence")
    step = SequenceStep.objects.create(sequence=sequence, position=0, kind=SequenceStep.Kind.EMAIL)
    variants = {label: StepVariant.objects.create(step=step, label=label, subject_template="Hi", body_template="Hi")
                for label in ("A", "B")}
    campaign = Campaign.objects.create(organization=organization, name=f"{slug.title()} launch", slug=slug,
                                       sequence=sequence, status=Campaign.Status.ACTIVE)
    inboxes = [*add_inboxes(create_domain(organization, f"{slug}-one.example", client=client), 1),
               *add_inboxes(create_domain(organization, f"{slug}-two.example", client=client), 1)]
    return World(organization, campaign, step, variants, inboxes)


def send(world: World, count: int, *, day: date = DAY, inbox: int = 0, variant: str = "A") -> list[OutboundMessage]:
    """``count`` first emails of the sequence sent on ``day`` from ``world.inboxes[inbox]``, each to a new contact."""
    organization, sender = world.organization, world.inboxes[inbox]
    tag = uuid.uuid4().hex[:8]
    contacts = Contact.objects.bulk_create([
        Contact(organization=organization, email=f"p{n}-{tag}@prospect.example") for n in range(count)])
    enrollments = Enrollment.objects.bulk_create([
        Enrollment(organization=organization, campaign=world.campaign, contact=contact, inbox=sender, step_index=1,
                   last_step=world.step, last_variant=world.variants[variant], emails_sent=1,
                   state=EnrollmentState.WAITING) for contact in contacts])
    messages = OutboundMessage.objects.bulk_create([
        OutboundMessage(organization=organization, inbox=sender, campaign=world.campaign, contact=contact,
                        idempotency_key=f"test-{tag}-{n}", to_address=contact.email, subject="Hi",
                        status=OutboundMessage.Status.SENT, sent_at=at(day), slot_day=day)
        for n, contact in enumerate(contacts)])
    SequenceMessage.objects.bulk_create([
        SequenceMessage(enrollment=enrollment, campaign=world.campaign, step=world.step, step_index=0,
                        variant=world.variants[variant], variant_label=variant, message=message, scheduled_at=at(day))
        for enrollment, message in zip(enrollments, messages, strict=True)])
    world.messages.extend(messages)
    world.enrollments.extend(enrollments)
    return messages


def bounce(message: OutboundMessage, klass: str, *, day: date = DAY) -> BounceRecord:
    return BounceRecord.objects.create(organization=message.organization, message=message, inbox=message.inbox,
                                       domain=message.inbox.domain, recipient=message.to_address, klass=klass,
                                       at=at(day, 11))


def reply(message: OutboundMessage, category: str, *, day: date = DAY, corrected: str = "") -> InboundMessage:
    return InboundMessage.objects.create(
        organization=message.organization, inbox=message.inbox, outbound=message, contact=message.contact,
        from_address=message.to_address, subject="Re: Hi", received_at=at(day, 12), category=category,
        corrected_category=corrected)


def move(enrollment: Enrollment, state: str, *, day: date = DAY) -> None:
    """The enrollment reached ``state`` on ``day`` (as its state machine records the move)."""
    Enrollment.objects.filter(pk=enrollment.pk).update(state=state)
    EnrollmentTransition.objects.create(enrollment=enrollment, from_state=EnrollmentState.WAITING, to_state=state,
                                        reason="test", at=at(day, 13))


def figures_query(**extra: Any) -> dict[str, str]:
    return {"start": DAY.isoformat(), "end": (DAY + timedelta(days=1)).isoformat(), **extra}
