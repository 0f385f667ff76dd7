"""What a sequence does next for one contact: the plan after a step, the window, the zone, the rendered email.

Pure decisions on loaded objects (no queries), shared by enrolling (``campaigns.services``), the sequencer's tick
and its send task (``campaigns.sequencer``) and the campaigns page's preview, so all of them agree on when and
what a contact receives.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from campaigns import windows
from campaigns.models import Campaign, Contact, EnrollmentState, SequenceStep, StepVariant
from campaigns.templating import contact_values, render, template_variables
from campaigns.windows import SendWindow, add_business_days

if TYPE_CHECKING:
    from collections.abc import Sequence as Steps

E = EnrollmentState


@dataclass(frozen=True)
class NextStep:
    """Where an enrollment goes after a step: its state, the index of its next step and when that is due."""

    state: str
    step_index: int
    next_due_at: datetime | None


def plan_from(steps: Steps[SequenceStep], index: int, now: datetime, zone: ZoneInfo) -> NextStep:
    """The plan for an enrollment whose next step is ``steps[index]``, decided at ``now``.

    Wait steps in a row add up; the enrollment waits (state ``waiting``) until that many business days have
    passed in the contact's zone, with its index on the step after them. An email next is due now (the window
    and the inbox's pacing decide the real moment). Nothing left, or only waits left: completed.
    """
    wait_days = 0
    while index < len(steps) and steps[index].kind == SequenceStep.Kind.WAIT:
        wait_days += steps[index].wait_days
        index += 1
    if index >= len(steps):
        return NextStep(E.COMPLETED, len(steps), None)
    if wait_days:
        return NextStep(E.WAITING, index, add_business_days(now, wait_days, zone))
    return NextStep(E.ACTIVE, index, now)


def send_window(campaign: Campaign) -> SendWindow:
    return SendWindow(days=frozenset(campaign.send_days or ()), start=campaign.send_start, end=campaign.send_end)


def contact_zone(contact: Contact, campaign: Campaign) -> ZoneInfo:
    """The contact's own zone, else its phone's, else the campaign's (``campaigns.windows.contact_zone``)."""
    return windows.contact_zone(contact.timezone, contact.phone, campaign.timezone)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body: str
    variant: StepVariant


def render_step(step: SequenceStep, variant: StepVariant, contact: Contact, *, thread_subject: str,
                sender_name: str = "") -> RenderedEmail:
    """The email of ``step`` for ``contact`` in ``variant``; identical on every call (spintax is seeded per contact).

    The first email has its own subject; a follow-up (``thread_subject`` given) replies in its thread as
    "Re: <first subject>".
    """
    values = contact_values(contact, sender_name=sender_name)
    seed = f"{contact.pk}:{step.pk}:{variant.label}"
    body = render(variant.body_template, values, seed=seed).strip()
    referrer = values.get("referred_by", "")
    if referrer and not thread_subject and "referred_by" not in template_variables(variant.body_template):
        # A contact someone pointed us to: the first email says who, even when the sequence's text does not.
        body = f"{referrer} suggested I get in touch with you.\n\n{body}"
    if thread_subject:
        subject = thread_subject if thread_subject.lower().startswith("re:") else f"Re: {thread_subject}"
    else:
        subject = render(variant.subject_template, values, seed=seed + ":subject").strip()
    return RenderedEmail(subject=" ".join(subject.split())[:300], body=body, variant=variant)
