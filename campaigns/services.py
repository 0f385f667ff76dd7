"""What people and agents do with campaigns: enroll contacts, start / pause / resume, read the figures, preview.

Views, admin actions, commands and agents call these; they hold the rules (a suppressed contact is never
enrolled, enrolling twice is a no-op, a window that never opens or a sequence without an email is refused before
anything changes) so every door behaves the same. Errors the user can fix are ``CampaignError`` with a field
name, turned into a 400 / a field error / a failed mission by the caller.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify

from campaigns.models import (
    Campaign,
    Contact,
    ContactList,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    Sequence,
    SequenceMessage,
    SequenceStep,
    StepVariant,
)
from campaigns.sequencing import contact_zone, plan_from, render_step, send_window
from campaigns.templating import BUILTIN_VARIABLES
from domains.models import SENDING_STATES
from inboxes.models import SENDING_STATUSES, Inbox, OutboundMessage, Suppression
from inboxes.suppression import normalize_email, normalize_phone, suppressed_among
from inboxes.unsubscribe import unsubscribe_url
from tenants.models import Organization

E = EnrollmentState


class CampaignError(ValueError):
    """A request that cannot be carried out as asked; ``field`` names what to change."""

    def __init__(self, message: str, *, field: str = "non_field_errors") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def known_variables(organization: Organization) -> set[str]:
    """What a template of this organization may reference: the built-ins and every custom field its contacts carry."""
    return set(BUILTIN_VARIABLES) | Contact.custom_field_names(organization)


# --- finding things by name ----------------------------------------------------------------------------------------

def _named(model: type, organization: Organization, name: str, what: str, field_name: str) -> Any:
    slug = slugify(name or "")
    found = model.objects.filter(organization=organization, slug=slug).first() if slug else None
    if found is None:
        raise CampaignError(f"no {what} {name!r} in this organization", field=field_name)
    return found


def campaign_named(organization: Organization, name: str) -> Campaign:
    return _named(Campaign, organization, name, "campaign", "campaign")


def sequence_named(organization: Organization, name: str) -> Sequence:
    return _named(Sequence, organization, name, "sequence", "sequence")


def list_named(organization: Organization, name: str) -> ContactList:
    return _named(ContactList, organization, name, "contact list", "list")


# --- enrolling -----------------------------------------------------------------------------------------------------

@dataclass
class EnrollReport:
    enrolled: int = 0
    already_enrolled: int = 0
    suppressed: int = 0
    without_email: int = 0

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def check_startable(campaign: Campaign, sequence: Sequence | None) -> list[SequenceStep]:
    """The sequence's steps, or ``CampaignError`` saying why this campaign cannot run it."""
    if campaign.status == Campaign.Status.FINISHED:
        raise CampaignError(f"campaign {campaign.slug} is finished; start a new campaign", field="campaign")
    if sequence is None:
        raise CampaignError(f"campaign {campaign.slug} has no sequence; give it one first", field="sequence")
    problems = campaign.window_problems()
    if problems:
        name, message = next(iter(problems.items()))
        raise CampaignError(message, field=name)
    steps = sequence.ordered_steps()
    emails = [s for s in steps if s.kind == SequenceStep.Kind.EMAIL]
    if not emails:
        raise CampaignError(f"sequence {sequence.slug} has no email step", field="sequence")
    for step in emails:
        if not step.variants.all():
            raise CampaignError(f"step {step.position + 1} of sequence {sequence.slug} has no text", field="sequence")
    return steps


def enroll(campaign: Campaign, contacts: QuerySet[Contact] | Iterable[Contact], *, actor: str = "system",
           now: Any = None) -> EnrollReport:
    """Enroll ``contacts`` in the campaign's sequence; a contact already in it, suppressed or without email is skipped.

    Queries do not grow with the number of contacts: the suppression list and the campaign's enrollments are
    read once, the new enrollments and their audit rows are written in bulk. Two enrollments of one contact at
    once leave one row (the unique constraint decides; the loser's rows are skipped).
    """
    steps = check_startable(campaign, campaign.sequence)
    now = now or timezone.now()
    report = EnrollReport()
    contacts = [c for c in contacts if c.organization_id == campaign.organization_id]
    with_email = [c for c in contacts if c.email]
    report.without_email = len(contacts) - len(with_email)
    if not with_email:
        return report

    suppressed_emails, suppressed_phones = suppressed_among(
        campaign.organization_id, emails={normalize_email(c.email) for c in with_email},
        phones={normalize_phone(c.phone) for c in with_email if c.phone})
    already = set(Enrollment.objects.filter(campaign=campaign, contact_id__in=[c.pk for c in with_email])
                  .values_list("contact_id", flat=True))
    new: list[Enrollment] = []
    for contact in with_email:
        if contact.pk in already:
            report.already_enrolled += 1
        elif normalize_email(contact.email) in suppressed_emails or (
                contact.phone and normalize_phone(contact.phone) in suppressed_phones):
            report.suppressed += 1
        else:
            plan = plan_from(steps, 0, now, contact_zone(contact, campaign))
            new.append(Enrollment(organization_id=campaign.organization_id, campaign=campaign, contact=contact,
                                  state=plan.state, step_index=plan.step_index, next_due_at=plan.next_due_at,
                                  enrolled_at=now, state_changed_at=now))
            already.add(contact.pk)
    if not new:
        return report
    try:
        with transaction.atomic():
            created = Enrollment.objects.bulk_create(new)
    except IntegrityError:
        # Someone enrolled some of them meanwhile: insert what is still missing, skipping the rest.
        with transaction.atomic():
            Enrollment.objects.bulk_create(new, ignore_conflicts=True)
        created = list(Enrollment.objects.filter(campaign=campaign, contact_id__in=[e.contact_id for e in new],
                                                 enrolled_at=now))
    EnrollmentTransition.objects.bulk_create(
        EnrollmentTransition(enrollment_id=e.pk, from_state="", to_state=e.state, step_index=e.step_index,
                             reason=f"enrolled in {campaign.slug}", actor=actor[:150], at=now) for e in created)
    report.enrolled = len(created)
    report.already_enrolled += len(new) - len(created)
    return report


# --- start / pause / resume ----------------------------------------------------------------------------------------

def start_campaign(campaign: Campaign, *, sequence: Sequence | None = None, contact_list: ContactList | None = None,
                   actor: str = "system") -> dict[str, Any]:
    """Give the campaign its sequence (and list), make it active and enroll the list's contacts."""
    sequence = sequence or campaign.sequence
    if sequence is not None and sequence.organization_id != campaign.organization_id:
        raise CampaignError("the sequence belongs to another organization", field="sequence")
    if contact_list is not None and contact_list.organization_id != campaign.organization_id:
        raise CampaignError("the list belongs to another organization", field="list")
    if (campaign.sequence_id and sequence is not None and campaign.sequence_id != sequence.pk
            and campaign.enrollments.exists()):
        raise CampaignError(f"campaign {campaign.slug} already runs sequence {campaign.sequence.slug}; contacts "
                            "in it would mix two sequences: start a new campaign", field="sequence")
    campaign.sequence = sequence
    check_startable(campaign, sequence)
    with transaction.atomic():
        updates: dict[str, Any] = {"sequence": sequence, "status": Campaign.Status.ACTIVE}
        if contact_list is not None:
            updates["contact_list"] = contact_list
        if campaign.started_at is None:
            updates["started_at"] = timezone.now()
        Campaign.objects.filter(pk=campaign.pk).update(**updates)
        for name, value in updates.items():
            setattr(campaign, name, value)
        report = enroll(campaign, contact_list.contacts.all() if contact_list is not None else [], actor=actor)
    return {"campaign": campaign.slug, "status": campaign.status, "sequence": sequence.slug,
            "list": contact_list.slug if contact_list is not None else None, **report.as_dict(),
            "sending_inboxes": sending_inbox_count(campaign)}


def pause_campaign(campaign: Campaign, *, actor: str = "system") -> dict[str, Any]:
    """Stop sending for the campaign; enrollments keep their place and resume from there."""
    moved = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.ACTIVE).update(status=Campaign.Status.PAUSED)
    campaign.refresh_from_db(fields=["status"])
    if not moved and campaign.status != Campaign.Status.PAUSED:
        raise CampaignError(f"campaign {campaign.slug} is {campaign.status}; only an active campaign can be paused",
                            field="campaign")
    return {"campaign": campaign.slug, "status": campaign.status, "changed": bool(moved)}


def resume_campaign(campaign: Campaign, *, actor: str = "system") -> dict[str, Any]:
    """Send again; a step that fell due during the pause goes at the contact's next window."""
    if campaign.status == Campaign.Status.ACTIVE:
        return {"campaign": campaign.slug, "status": campaign.status, "changed": False}
    if campaign.status != Campaign.Status.PAUSED:
        raise CampaignError(f"campaign {campaign.slug} is {campaign.status}; only a paused campaign can be resumed",
                            field="campaign")
    check_startable(campaign, campaign.sequence)
    moved = Campaign.objects.filter(pk=campaign.pk, status=Campaign.Status.PAUSED).update(status=Campaign.Status.ACTIVE)
    campaign.refresh_from_db(fields=["status"])
    return {"campaign": campaign.slug, "status": campaign.status, "changed": bool(moved)}


def sending_inboxes(campaign: Campaign) -> list[Inbox]:
    """The inboxes a campaign's sequence may send from now: of its domains that send, themselves sending."""
    return list(Inbox.objects.filter(domain__campaign=campaign, status__in=SENDING_STATUSES,
                                     domain__state__in=SENDING_STATES).select_related("domain").order_by("address"))


def sending_inbox_count(campaign: Campaign) -> int:
    return len(sending_inboxes(campaign))


# --- figures -------------------------------------------------------------------------------------------------------

@dataclass
class StepFigures:
    step_index: int
    variant: str
    sent: int = 0
    failed: int = 0
    replied: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    meetings: int = 0


@dataclass
class CampaignFigures:
    campaign_id: int
    enrolled: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    replied: int = 0
    bounced: int = 0
    unsubscribed: int = 0
    meetings: int = 0
    steps: list[StepFigures] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_OUTCOME = {E.REPLIED: "replied", E.BOUNCED: "bounced", E.UNSUBSCRIBED: "unsubscribed", E.MEETING_BOOKED: "meetings"}


def campaign_figures(campaign_ids: Iterable[int]) -> dict[int, CampaignFigures]:
    """Enrolled, sent, replied, bounced, unsubscribed (per step and variant) for each campaign: three queries in all.

    A reply, bounce or unsubscribe counts against the last step the contact was sent (the one that caused it).
    """
    ids = list(campaign_ids)
    figures = {pk: CampaignFigures(campaign_id=pk) for pk in ids}
    steps: dict[tuple[int, int, str], StepFigures] = {}

    def step_row(campaign_id: int, index: int, variant: str) -> StepFigures:
        key = (campaign_id, index, variant)
        if key not in steps:
            steps[key] = StepFigures(step_index=index, variant=variant)
        return steps[key]

    for campaign_id, state, n in (Enrollment.objects.filter(campaign_id__in=ids).values_list("campaign_id", "state")
                                  .annotate(n=Count("pk")).order_by()):
        fig = figures[campaign_id]
        fig.by_state[state] = n
        fig.enrolled += n
        if state in _OUTCOME:
            setattr(fig, _OUTCOME[state], getattr(fig, _OUTCOME[state]) + n)
    sent_states = (OutboundMessage.Status.SENT, OutboundMessage.Status.SENDING)
    for campaign_id, index, variant, status, n in (
            SequenceMessage.objects.filter(campaign_id__in=ids)
            .values_list("campaign_id", "step_index", "variant_label", "message__status")
            .annotate(n=Count("pk")).order_by()):
        row = step_row(campaign_id, index, variant)
        if status in sent_states:
            row.sent += n
            figures[campaign_id].sent += n
        elif status == OutboundMessage.Status.FAILED:
            row.failed += n
    outcomes = Q(state__in=list(_OUTCOME))
    for campaign_id, index, variant, state, n in (
            Enrollment.objects.filter(outcomes, campaign_id__in=ids, last_step__isnull=False)
            .values_list("campaign_id", "last_step__position", "last_variant__label", "state")
            .annotate(n=Count("pk")).order_by()):
        row = step_row(campaign_id, index, variant or "")
        setattr(row, _OUTCOME[state], getattr(row, _OUTCOME[state]) + n)
    by_campaign: dict[int, list[StepFigures]] = defaultdict(list)
    for (campaign_id, _, _), row in sorted(steps.items()):
        by_campaign[campaign_id].append(row)
    for campaign_id, rows in by_campaign.items():
        figures[campaign_id].steps = rows
    return figures


# --- preview -------------------------------------------------------------------------------------------------------

def preview(campaign: Campaign, step: SequenceStep, variant: StepVariant, contact: Contact, *,
            sender_name: str = "") -> dict[str, str]:
    """The email ``contact`` would get for ``step`` in ``variant``, footer included (as the sender adds it)."""
    if contact.organization_id != campaign.organization_id:
        raise CampaignError("the contact belongs to another organization", field="contact")
    first_email = next((s for s in step.sequence.ordered_steps()
                        if s.kind == SequenceStep.Kind.EMAIL and s.channel == SequenceStep.Channel.EMAIL), None)
    thread_subject = ""
    is_text = step.channel != SequenceStep.Channel.EMAIL
    if first_email is not None and first_email.pk != step.pk and not is_text:
        first_variant = first_email.variant_for(contact.pk)
        if first_variant is not None:
            thread_subject = render_step(first_email, first_variant, contact, thread_subject="",
                                         sender_name=sender_name).subject
    email = render_step(step, variant, contact, thread_subject=thread_subject, sender_name=sender_name)
    organization = campaign.organization
    zone = contact_zone(contact, campaign)
    window = send_window(campaign)
    window_open = window.is_open(timezone.now(), zone) if not window.problems() else False
    if is_text:
        # A text has no subject, no thread and no email footer: it is sent as its body.
        return {"subject": "", "body": email.body, "text": email.body, "variant": variant.label, "zone": str(zone.key),
                "window_open_now": window_open}
    try:
        link = unsubscribe_url(organization, contact.email, contact)
    except Exception:  # noqa: BLE001 - REX_PUBLIC_BASE_URL unset on a dev machine: show where the link goes
        link = "(unsubscribe link: set REX_PUBLIC_BASE_URL)"
    text = render_to_string("inboxes/email_body.txt", {
        "body": email.body, "unsubscribe_url": link, "organization": organization,
        "postal_address": organization.postal_address.strip()})
    return {"subject": email.subject, "body": email.body, "text": text.strip(), "variant": variant.label,
            "zone": str(zone.key), "window_open_now": window_open}


# --- the suppression list stops sequences ------------------------------------------------------------------------

# The state a sequence ends in when its contact is suppressed, by the suppression's reason (the sequencer uses it
# too, for a suppression it meets at send time).
STOPPED_BY_SUPPRESSION = {Suppression.Reason.BOUNCE: E.BOUNCED, Suppression.Reason.UNSUBSCRIBE: E.UNSUBSCRIBED,
                          Suppression.Reason.SMS_STOP: E.UNSUBSCRIBED, Suppression.Reason.COMPLAINT: E.UNSUBSCRIBED,
                          Suppression.Reason.MANUAL: E.STOPPED}


def stop_sequences_of_suppressed(organization: Organization, emails: set[str], phones: set[str], reason: str,
                                 source: str) -> list[int]:
    """Someone was suppressed (unsubscribe link, bounce, complaint, STOP, ops): every sequence they are in stops now,
    in the state that says why (so the figures count it against the step that caused it), not at the next send."""
    query = Q()
    if emails:
        query |= Q(contact__email__in=list(emails))
    if phones:
        query |= Q(contact__phone__in=list(phones))
    if not query:
        return []
    target = STOPPED_BY_SUPPRESSION.get(reason, E.STOPPED)
    ids = list(Enrollment.objects.filter(query, organization=organization).values_list("pk", flat=True))
    sources = [state for state in E.values if state != target]
    return Enrollment.bulk_move(ids, sources, target, reason=f"suppressed ({reason}): {source}"[:300],
                                next_due_at=None, claimed_until=None)
