"""Who outreach goes to and what it says: contacts and their lists, campaigns, sequences and enrollments.

A contact belongs to one organization and may sit on several lists. Whether a contact may still be written to
is not stored here but in ``inboxes.Suppression`` (one place, checked before every send on every channel).

A campaign runs one ``Sequence`` (ordered email and wait steps, email steps with A/B variants) for the contacts
enrolled in it. Each ``Enrollment`` (campaign, contact) is a state machine owned by the model (``ENROLLMENT_STATES``):
every move is one conditional UPDATE plus an ``EnrollmentTransition`` audit row, in one transaction. The
sequencer (``campaigns.sequencer``) moves enrollments through their steps; replies, bounces and unsubscribes stop
them (``Enrollment.stop_on_reply()`` and friends).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Collection, Iterable
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from campaigns.templating import BUILTIN_VARIABLES, validate_template
from core.statemachine import IllegalTransition, StateMachine
from inboxes.models import Inbox, OutboundMessage, validate_timezone
from tenants.models import Organization

if TYPE_CHECKING:
    from agents.llm import NamedContact

FOLLOW_UP_SUBJECT = ("follow-ups reply in the first email's thread: their subject is Re: <first subject>; "
                     "leave it empty")


def list_of_weekdays() -> list[int]:
    return [0, 1, 2, 3, 4]


# Callables, not ``dt.time`` values: Django's check fields.W161 warns about a fixed time default whenever the
# check runs within ten seconds of that time of day, and the warning lands on every management command's stderr.
def nine_am() -> dt.time:
    return dt.time(9, 0)


def five_pm() -> dt.time:
    return dt.time(17, 0)


class ContactList(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contact_lists")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_contact_list_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)


class Contact(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="contacts")
    lists = models.ManyToManyField(ContactList, related_name="contacts", blank=True)
    email = models.EmailField(max_length=254, blank=True)
    phone = models.CharField(max_length=32, blank=True, help_text="E.164, e.g. +447700900123")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    company = models.CharField(max_length=200, blank=True)
    # Whether the contact's data may be sent (pseudonymised) to an LLM; agents pass it as redact_pii(consent=…).
    llm_consent = models.BooleanField(default=False)
    # The contact's IANA zone; when empty the sequencer infers it from the phone's country or the campaign's zone.
    timezone = models.CharField(max_length=64, blank=True, validators=[validate_timezone])
    # Columns of an import that are not built-in fields, by normalized key ("industry", "job_title"); templates
    # use them as {{industry|…}}.
    custom_fields = models.JSONField(default=dict, blank=True)
    # Where the data came from (GDPR Art. 14): "csv:leads.csv row 12 by alice", "api by bob", "admin".
    source = models.CharField(max_length=300, blank=True)
    # SMS consent (TCPA / PECR): texts go only to a contact whose consent is recorded, with when and how it was
    # given ("web form 2026-03-01", "csv:leads.csv row 12"); an SMS step skips a contact without it.
    sms_consent_at = models.DateTimeField(null=True, blank=True)
    sms_consent_source = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "email"], condition=~models.Q(email=""),
                                    name="unique_contact_email"),
        ]

    def __str__(self) -> str:
        return self.email or self.phone or f"contact {self.pk}"

    def save(self, *args, **kwargs) -> None:
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @classmethod
    def custom_field_names(cls, organization: Organization) -> set[str]:
        """Every custom field key any contact of the organization carries (what templates may reference)."""
        names: set[str] = set()
        for fields in cls.objects.filter(organization=organization).exclude(custom_fields={}).values_list(
                "custom_fields", flat=True).distinct():
            names.update(fields or {})
        return names

    @classmethod
    def of_organization(cls, organization: Organization, contact_id: int) -> Contact | None:
        """The organization's contact with this id, or None (deleted, or another organization's)."""
        return cls.objects.filter(pk=contact_id, organization=organization).first()

    @property
    def has_sms_consent(self) -> bool:
        return self.sms_consent_at is not None and bool(self.sms_consent_source.strip())

    def llm_known_values(self) -> dict[str, list[str]]:
        """The contact's own values by PII type: what the LLM gateway pseudonymises wherever they appear (the
        detector then also finds the first or last name alone)."""
        full_name = " ".join(part for part in (self.first_name, self.last_name) if part)
        values = {"PERSON": full_name, "EMAIL": self.email, "PHONE": self.phone, "ORGANIZATION": self.company}
        return {typ: [value] for typ, value in values.items() if value}

    @classmethod
    def named_for_llm(cls, organization: Organization, emails: frozenset[str],
                      phones: frozenset[str]) -> list[NamedContact]:
        """The organization's contacts with one of these e-mail addresses (lower-case, as stored) or E.164 phone
        numbers, with their LLM consent: the finder ``agents.llm.contacts_named_in`` asks (registered in
        ``CampaignsConfig.ready``)."""
        from agents.llm import NamedContact

        # Empty values never match: a contact without a phone is not named by a text without one.
        named = models.Q(email__in=[e for e in emails if e]) | models.Q(phone__in=[p for p in phones if p])
        return [
            NamedContact(named_as=contact.email if contact.email in emails else contact.phone,
                         llm_consent=contact.llm_consent,
                         known_values={typ: tuple(values) for typ, values in contact.llm_known_values().items()})
            for contact in cls.objects.filter(named, organization=organization)
        ]


class Campaign(models.Model):
    """An outreach campaign: the message it sends and (through ``domains.Domain.campaign``) its sending domains."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        ACTIVE = "active", "Active"
        PAUSED = "paused", "Paused"
        FINISHED = "finished", "Finished"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="campaigns")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    from_name = models.CharField(max_length=100, blank=True)
    # The single first email of ``send campaign X to list Y`` (the send_campaign agent): {first_name}, {last_name},
    # {company}; a missing value renders as an empty string. Sequences have their own templates (templating.py).
    subject_template = models.CharField(max_length=200, default="Quick question, {first_name}")
    body_template = models.TextField(default="Hi {first_name},\n\nWould a short call next week be useful?\n")
    # The sequence this campaign runs, and the list it was started for (enrolling more contacts stays possible).
    sequence = models.ForeignKey("Sequence", null=True, blank=True, on_delete=models.PROTECT, related_name="campaigns")
    contact_list = models.ForeignKey(ContactList, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="campaigns")
    # The send window, in each contact's local time: weekdays (0 = Monday) and hours [send_start, send_end).
    send_days = models.JSONField(default=list_of_weekdays)
    send_start = models.TimeField(default=nine_am)
    send_end = models.TimeField(default=five_pm)
    # The zone of contacts with no zone of their own and no phone that tells one.
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    # Human pacing: each inbox waits a random gap in [min, max] seconds between two sequence emails.
    min_gap_seconds = models.PositiveIntegerField(default=90)
    max_gap_seconds = models.PositiveIntegerField(default=300)
    # A reply from anyone at a contacted company stops that company's other enrollments in this campaign.
    stop_company_on_reply = models.BooleanField(default=True)
    started_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The client this campaign sends for: the pool its domains come from, set by its first assignment from one
    # pool. Assigning without naming a pool takes this one, and another client's pool is refused.
    pool = models.ForeignKey("domains.DomainPool", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="campaigns", help_text="The client (domain pool) this campaign sends for.")

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_campaign_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors = self.window_problems()
        if self.min_gap_seconds > self.max_gap_seconds:
            errors["max_gap_seconds"] = "the longest gap between two sends must not be shorter than the shortest"
        if errors:
            raise ValidationError(errors)

    def window_problems(self) -> dict[str, str]:
        """Field errors of a send window that never opens (no day, or hours that close before they open)."""
        days = self.send_days if isinstance(self.send_days, list) else []
        if not days or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6 for d in days):
            return {"send_days": "name at least one weekday (0 = Monday … 6 = Sunday); with none the window never opens"}
        if self.send_start >= self.send_end:
            return {"send_end": f"the window closes ({self.send_end:%H:%M}) before it opens ({self.send_start:%H:%M}) "
                                "so it never opens; windows run within one day"}
        return {}

    @property
    def gap_range(self) -> tuple[int, int]:
        return self.min_gap_seconds, max(self.min_gap_seconds, self.max_gap_seconds)

    def client_pool_id(self) -> int | None:
        """The pool this campaign sends for: ``pool``, or, for a campaign given domains before it had one, the pool
        all its domains come from (None when they come from several, or it has none)."""
        if self.pool_id is not None:
            return self.pool_id
        pools = set(self.domains.values_list("pool_id", flat=True).distinct()[:2])
        return pools.pop() if len(pools) == 1 else None

    @classmethod
    def named(cls, organization: Organization, name: str) -> Campaign:
        """The organization's campaign called ``name`` (by slug), created as a draft when it does not exist."""
        campaign, _ = cls.objects.get_or_create(organization=organization, slug=slugify(name),
                                                defaults={"name": name})
        return campaign


# --- sequences ---------------------------------------------------------------------------------------------------

class Sequence(models.Model):
    """Ordered steps a campaign runs for each enrolled contact: emails, and waits of N business days between them."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="sequences")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_sequence_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    def ordered_steps(self) -> list[SequenceStep]:
        return list(self.steps.order_by("position").prefetch_related("variants"))

    def contacts_in(self) -> int:
        """How many contacts are enrolled in it (any state): their step indexes point into its steps."""
        return Enrollment.objects.filter(campaign__sequence=self).count()


class SequenceStep(models.Model):
    """One step: an email (its text lives in its variants, A/B/…) or a wait of ``wait_days`` business days.

    A message step (kind "email") is sent on its ``channel``: email by the sequencer itself, any other channel
    ("sms") by the sender registered for it in ``campaigns.channels``. Follow-up emails (every email-channel step
    after the first) reply in the first email's thread: their subject is "Re: " + the first email's, so their
    variants carry a body only; an SMS variant has a body only.
    """

    class Channel(models.TextChoices):
        EMAIL = "email", "Email"
        SMS = "sms", "SMS"

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        WAIT = "wait", "Wait"

    sequence = models.ForeignKey(Sequence, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices, default=Kind.EMAIL)
    channel = models.CharField(max_length=8, default=Channel.EMAIL, choices=Channel.choices)
    wait_days = models.PositiveSmallIntegerField(default=0, help_text="Business days (Monday to Friday) to wait.")

    class Meta:
        ordering = ["sequence", "position"]
        constraints = [models.UniqueConstraint(fields=["sequence", "position"], name="unique_step_position")]

    def __str__(self) -> str:
        if self.kind == self.Kind.WAIT:
            return f"{self.position + 1}. wait {self.wait_days} business days"
        return f"{self.position + 1}. {self.channel}"

    def is_first_email(self) -> bool:
        """Whether this is the sequence's first email step (the one with a subject; the others reply to it)."""
        if self.kind != self.Kind.EMAIL or self.channel != self.Channel.EMAIL:
            return False
        earlier = SequenceStep.objects.filter(sequence_id=self.sequence_id, kind=self.Kind.EMAIL,
                                              channel=self.Channel.EMAIL, position__lt=self.position)
        return not (earlier.exclude(pk=self.pk) if self.pk else earlier).exists()

    def variant_for(self, contact_id: int, variants: list[StepVariant] | None = None) -> StepVariant | None:
        """The contact's variant of this step: chosen by a hash of (contact, step), so it never changes by itself."""
        variants = sorted(variants if variants is not None else self.variants.all(), key=lambda v: v.label)
        if not variants:
            return None
        digest = hashlib.sha256(f"{contact_id}:{self.pk}".encode()).digest()
        return variants[int.from_bytes(digest[:8], "big") % len(variants)]


class StepVariant(models.Model):
    """One version (A, B, …) of an email step's text; every figure is kept per variant."""

    step = models.ForeignKey(SequenceStep, on_delete=models.CASCADE, related_name="variants")
    label = models.CharField(max_length=8, default="A")
    subject_template = models.CharField(max_length=300, blank=True)
    body_template = models.TextField()

    class Meta:
        ordering = ["step", "label"]
        constraints = [models.UniqueConstraint(fields=["step", "label"], name="unique_variant_label")]

    def __str__(self) -> str:
        return f"{self.step} variant {self.label}"

    def text_problems(self, known_variables: Collection[str], *, first_email: bool) -> dict[str, list[str]]:
        """Field errors of this variant's texts (the API and the admin both refuse them at save, never at send).

        Every template must render for every contact (``validate_template``); the first email needs a subject;
        a follow-up has none, since it replies in the first email's thread.
        """
        errors: dict[str, list[str]] = {}
        for name, text in (("subject_template", self.subject_template or ""), ("body_template", self.body_template or "")):
            issues = [issue.message for issue in validate_template(text, known_variables)]
            if issues:
                errors[name] = issues
        if not (self.body_template or "").strip():
            errors.setdefault("body_template", []).insert(0, "an email needs a body")
        subject = (self.subject_template or "").strip()
        if first_email and not subject:
            errors.setdefault("subject_template", []).insert(0, "the first email needs a subject")
        elif not first_email and subject:
            errors["subject_template"] = [FOLLOW_UP_SUBJECT]
        return errors

    def clean(self) -> None:
        # The admin's inline forms come here: the same rules as the API, with the organization's custom fields.
        try:
            step = self.step
        except SequenceStep.DoesNotExist:  # a form without its step yet: the step's own form reports that
            return
        if step.sequence_id is None:
            return
        known = set(BUILTIN_VARIABLES) | Contact.custom_field_names(step.sequence.organization)
        errors = self.text_problems(known, first_email=step.is_first_email())
        if errors:
            raise ValidationError(errors)


# --- enrollments -------------------------------------------------------------------------------------------------

class EnrollmentState(models.TextChoices):
    ACTIVE = "active", "Active"                  # its next step is an email, due at next_due_at (window permitting)
    WAITING = "waiting", "Waiting"               # in a wait step until next_due_at
    PAUSED = "paused", "Paused"                  # held by a person; resumes where it was
    REPLIED = "replied", "Replied"               # the contact answered: nothing more is sent
    BOUNCED = "bounced", "Bounced"
    UNSUBSCRIBED = "unsubscribed", "Unsubscribed"
    COMPLETED = "completed", "Completed"         # every step done
    MEETING_BOOKED = "meeting_booked", "Meeting booked"
    STOPPED = "stopped", "Stopped"               # taken out by a person or a rule


E = EnrollmentState
_STOPS = {E.REPLIED, E.BOUNCED, E.UNSUBSCRIBED, E.MEETING_BOOKED, E.STOPPED}
ENROLLMENT_TRANSITIONS = {
    E.ACTIVE: frozenset({E.WAITING, E.PAUSED, E.COMPLETED, *_STOPS}),
    E.WAITING: frozenset({E.ACTIVE, E.PAUSED, E.COMPLETED, *_STOPS}),
    E.PAUSED: frozenset({E.ACTIVE, E.WAITING, *_STOPS}),
    # A reply may still lead to a meeting, or be stopped by a person.
    E.REPLIED: frozenset({E.MEETING_BOOKED, E.STOPPED}),
    # A contact who answers (or bounces, or unsubscribes) after the last step is still recorded as such.
    E.COMPLETED: frozenset({E.REPLIED, E.BOUNCED, E.UNSUBSCRIBED, E.MEETING_BOOKED}),
    E.BOUNCED: frozenset(),
    E.UNSUBSCRIBED: frozenset(),
    E.MEETING_BOOKED: frozenset(),
    E.STOPPED: frozenset(),
}


class IllegalEnrollmentTransition(IllegalTransition):
    pass


ENROLLMENT_STATES = StateMachine("state", ENROLLMENT_TRANSITIONS, error=IllegalEnrollmentTransition)
# The states the sequencer takes due enrollments from.
RUNNING_STATES = (E.ACTIVE, E.WAITING)


class Enrollment(models.Model):
    """One contact in one campaign's sequence: where it is, when its next step is due, and the thread it writes in."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="enrollments")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="enrollments")
    contact = models.ForeignKey(Contact, on_delete=models.CASCADE, related_name="enrollments")
    state = models.CharField(max_length=16, choices=EnrollmentState.choices, default=E.ACTIVE)
    # Position of the next step to run (0 = the first); equal to the number of steps once completed.
    step_index = models.PositiveSmallIntegerField(default=0)
    next_due_at = models.DateTimeField(null=True, blank=True)
    # Set by the sequencer when it hands the enrollment to a send task; another tick leaves it alone until then.
    claimed_until = models.DateTimeField(null=True, blank=True)
    # Sticky: every email of the sequence leaves from the inbox that sent the first.
    inbox = models.ForeignKey(Inbox, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrollments")
    thread_subject = models.CharField(max_length=300, blank=True)
    # Message-IDs of the emails sent so far, oldest first, space separated: the next one's References header.
    thread_message_ids = models.TextField(blank=True)
    emails_sent = models.PositiveSmallIntegerField(default=0)
    # Attempts at the current step after the receiving server refused one for a reason that is not the address's
    # (a full mailbox, a refusal of the sender): each attempt is a new message with its own idempotency key.
    send_attempt = models.PositiveSmallIntegerField(default=0)
    last_step = models.ForeignKey(SequenceStep, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_variant = models.ForeignKey(StepVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    last_sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    enrolled_at = models.DateTimeField(default=timezone.now)
    state_changed_at = models.DateTimeField(default=timezone.now)
    # A paused enrollment remembers which running state it came from, and when it resumes by itself (an
    # out-of-office reply pauses it until the person is back); empty: until a person resumes it.
    paused_from = models.CharField(max_length=16, blank=True)
    resume_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["campaign", "contact"], name="unique_enrollment")]
        indexes = [
            # The sequencer's question, "which running enrollments are due", reads this partial index only.
            models.Index(fields=["next_due_at"], name="enrollment_due",
                         condition=models.Q(state__in=["active", "waiting"])),
            models.Index(fields=["campaign", "state"]),
            # Pauses that end by themselves (out of office), read by the sequencer's tick.
            models.Index(fields=["resume_at"], name="enrollment_resume",
                         condition=models.Q(state="paused", resume_at__isnull=False)),
        ]

    def __str__(self) -> str:
        return f"{self.contact} in {self.campaign} ({self.state})"

    # --- the state machine -------------------------------------------------------------------------------------

    def move(self, target: str, *, reason: str, actor: str = "system", condition: models.Q | None = None,
             **updates: Any) -> bool:
        """Move to ``target`` if still in the state it was read in (and ``condition``); audited.

        False when someone moved it first. Raises ``IllegalEnrollmentTransition`` for a move the table forbids.
        """
        now = timezone.now()
        source = self.state
        return ENROLLMENT_STATES.move(
            self, target, updates={"state_changed_at": now, **updates}, condition=condition,
            on_transition=lambda old, new: EnrollmentTransition.objects.create(
                enrollment=self, from_state=old, to_state=new, step_index=self.step_index if old == source else 0,
                reason=reason[:300], actor=actor[:150], at=now))

    def _stop(self, target: str, reason: str, actor: str) -> bool:
        """Move to a stop state from wherever it is (re-reading on a lost race); False if it may not go there."""
        for _ in range(3):
            if not ENROLLMENT_STATES.may(self.state, target):
                return False
            if self.move(target, reason=reason, actor=actor, next_due_at=None, claimed_until=None):
                return True
            self.refresh_from_db(fields=["state", "step_index"])
        return False

    def stop_on_reply(self, reason: str = "the contact replied", actor: str = "system") -> bool:
        return self._stop(E.REPLIED, reason, actor)

    def mark_bounced(self, reason: str = "hard bounce", actor: str = "system") -> bool:
        return self._stop(E.BOUNCED, reason, actor)

    def mark_unsubscribed(self, reason: str = "the contact unsubscribed", actor: str = "system") -> bool:
        return self._stop(E.UNSUBSCRIBED, reason, actor)

    def mark_meeting_booked(self, reason: str = "meeting booked", actor: str = "system") -> bool:
        return self._stop(E.MEETING_BOOKED, reason, actor)

    def stop(self, reason: str = "stopped", actor: str = "system") -> bool:
        return self._stop(E.STOPPED, reason, actor)

    def pause(self, reason: str = "paused", actor: str = "system", *, until: dt.datetime | None = None) -> bool:
        """Hold the sequence where it is; with ``until`` the sequencer resumes it by itself then."""
        if self.state not in RUNNING_STATES:
            return False
        return self.move(E.PAUSED, reason=reason, actor=actor, paused_from=self.state, claimed_until=None,
                         resume_at=until)

    def resume(self, reason: str = "resumed", actor: str = "system") -> bool:
        """Back to where it was paused; a step that fell due meanwhile runs at the next window."""
        if self.state != E.PAUSED:
            return False
        target = self.paused_from if self.paused_from in RUNNING_STATES else E.ACTIVE
        return self.move(target, reason=reason, actor=actor, paused_from="", resume_at=None,
                         next_due_at=max(self.next_due_at or timezone.now(), timezone.now()))

    @classmethod
    def bulk_move(cls, ids: Iterable[int], sources: Iterable[str], target: str, *, reason: str,
                  actor: str = "system", **updates: Any) -> list[int]:
        """Move every enrollment of ``ids`` in one of ``sources`` to ``target``: one UPDATE … RETURNING, one INSERT."""
        sources = [s for s in sources if ENROLLMENT_STATES.may(s, target)]
        ids = list(ids)
        if not ids or not sources:
            return []
        now = timezone.now()
        with transaction.atomic():
            rows = list(cls.objects.select_for_update().filter(pk__in=ids, state__in=sources)
                        .values_list("pk", "state", "step_index"))
            if rows:
                cls.objects.filter(pk__in=[r[0] for r in rows]).update(state=target, state_changed_at=now, **updates)
                EnrollmentTransition.objects.bulk_create(
                    EnrollmentTransition(enrollment_id=pk, from_state=state, to_state=target, step_index=index,
                                         reason=reason[:300], actor=actor[:150], at=now)
                    for pk, state, index in rows)
        return [r[0] for r in rows]


class EnrollmentTransition(models.Model):
    """The audit trail of an enrollment: one row per state change, written in the change's transaction."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=EnrollmentState.choices, blank=True)
    to_state = models.CharField(max_length=16, choices=EnrollmentState.choices)
    step_index = models.PositiveSmallIntegerField(default=0)
    reason = models.CharField(max_length=300)
    actor = models.CharField(max_length=150, default="system", help_text="A username, an agent or 'system'.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.enrollment_id}: {self.from_state or '∅'} → {self.to_state} ({self.reason})"


class SequenceMessage(models.Model):
    """One email a sequence step sent (or tried to) for one enrollment: the step, the variant, the message."""

    enrollment = models.ForeignKey(Enrollment, on_delete=models.CASCADE, related_name="messages")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sequence_messages")
    step = models.ForeignKey(SequenceStep, null=True, on_delete=models.SET_NULL, related_name="messages")
    step_index = models.PositiveSmallIntegerField()
    variant = models.ForeignKey(StepVariant, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages")
    variant_label = models.CharField(max_length=8, blank=True)
    message = models.OneToOneField(OutboundMessage, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="sequence_message")
    # The sequencer's clock when it sent (the moment the window was checked against).
    scheduled_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enrollment", "step_index"]
        constraints = [models.UniqueConstraint(fields=["enrollment", "step_index"], name="unique_sequence_message")]
        indexes = [models.Index(fields=["campaign", "step_index", "variant_label"])]

    def __str__(self) -> str:
        return f"enrollment {self.enrollment_id} step {self.step_index + 1}{self.variant_label}"
