"""Request and response shapes of the sequence, campaign, enrollment and contact API (``campaigns.sequence_api``).

Field errors follow one format everywhere (docs/api.md, "Sequences"): a field name maps to a list of messages,
and the items of a list field are addressed by their index as a string key, only those with errors:
``{"steps": {"2": {"variants": {"0": {"body": ["unknown variable {{frist_name}}; did you mean first_name?"]}}}}}``.
A message about the list as a whole sits directly under its name: ``{"steps": ["…"]}``.

Every serializer here needs ``context["organization"]``: slugs and ids are looked up in it only, so another
organization's sequence, list or contact reads as unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import phonenumbers
from django.db import transaction
from django.utils.text import slugify
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.fields import empty

from campaigns.models import (
    Campaign,
    Contact,
    ContactList,
    Enrollment,
    EnrollmentState,
    EnrollmentTransition,
    Sequence,
    SequenceStep,
    StepVariant,
)
from campaigns.services import known_variables
from campaigns.templating import normalize_field_name
from campaigns.windows import format_days, is_valid_zone, parse_days
from core.strict_types import StrictJSONTypes
from tenants.models import Organization

MAX_VARIANTS = 5
VARIANT_LABELS = ("A", "B", "C", "D", "E")
MAX_WAIT_DAYS = 60
# The variant's model fields and the names the API gives them.
VARIANT_FIELDS = {"subject_template": "subject", "body_template": "body"}


def organization_in(serializer: serializers.Field) -> Organization:
    return serializer.context["organization"]


def keyed_errors(detail: Any) -> Any:
    """DRF's errors with list items addressed by index: ``[{}, {"body": [...]}]`` becomes ``{"1": {"body": [...]}}``.

    A list of messages stays a list; only lists of per-item errors (nested serializers) are rekeyed, so that
    errors built by hand and DRF's own read the same way.
    """
    if isinstance(detail, Mapping):
        return {str(key): keyed_errors(value) for key, value in detail.items()}
    if isinstance(detail, list) and any(isinstance(item, (Mapping, list)) for item in detail):
        return {str(index): keyed_errors(item) for index, item in enumerate(detail) if item}
    return detail


def slug_for(value: str, given: str | None) -> str:
    slug = slugify(given or value or "")
    if not slug:
        raise serializers.ValidationError({"slug": ["a name needs at least one letter or digit"]})
    return slug


def check_slug_free(model: type, organization: Organization, slug: str, instance: Any, what: str) -> None:
    taken = model.objects.filter(organization=organization, slug=slug)
    if instance is not None:
        taken = taken.exclude(pk=instance.pk)
    if taken.exists():
        raise serializers.ValidationError({"slug": [f"a {what} with the slug '{slug}' already exists"]})


class ScopedSlugField(serializers.SlugRelatedField):
    """A slug of one of the organization's rows (another organization's is unknown, like a missing one)."""

    def __init__(self, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("slug_field", "slug")
        kwargs.setdefault("error_messages", {"does_not_exist": f"no {what} '{{value}}' in your organization"})
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.queryset.model.objects.filter(organization=self.context["organization"])


# --- sequences ------------------------------------------------------------------------------------------------------

class VariantSerializer(serializers.Serializer):
    label = serializers.ChoiceField(choices=VARIANT_LABELS, help_text="A to E; unique within the step.")
    subject = serializers.CharField(source="subject_template", max_length=300, required=False, allow_blank=True,
                                    default="", help_text="The first email step only: follow-ups reply in its thread "
                                                          "(Re: <first subject>) and leave it empty.")
    body = serializers.CharField(source="body_template", allow_blank=True, max_length=20000,
                                 help_text="The text: {{variables|fallback}}, {spin|tax}; see docs/templates.md.")


class StepSerializer(serializers.Serializer):
    position = serializers.IntegerField(read_only=True, help_text="0-based; on write the list order decides.")
    kind = serializers.ChoiceField(choices=SequenceStep.Kind.choices)
    channel = serializers.ChoiceField(choices=SequenceStep.Channel.choices, required=False,
                                      default=SequenceStep.Channel.EMAIL,
                                      help_text="Email steps: the channel they are sent on (sms: a text through "
                                                "the sms app, body only, to contacts with SMS consent).")
    wait_days = serializers.IntegerField(required=False, default=0, min_value=0,
                                         help_text=f"Wait steps: business days, 1 to {MAX_WAIT_DAYS}.")
    variants = VariantSerializer(many=True, required=False, default=list, max_length=20,
                                 help_text=f"Email steps: 1 to {MAX_VARIANTS} variants with distinct labels.")


def sequence_rule_errors(steps: list[dict[str, Any]], known: set[str]) -> dict[str, Any]:
    """Errors of a sequence's steps by index (``{"2": {"variants": {"0": {"body": [...]}}}}``), or ``{}``.

    ``steps`` are validated step dicts (variant texts under their model names). The rules: one email step at
    least; an email step has 1-5 variants with distinct labels, each with a body; the first email's variants
    have a subject and the follow-ups' none; a wait step waits 1-60 business days and has no text; every
    template renders for every contact of the organization.
    """
    errors: dict[str, Any] = {}
    first_email = next((i for i, step in enumerate(steps) if step["kind"] == SequenceStep.Kind.EMAIL
                        and step.get("channel", SequenceStep.Channel.EMAIL) == SequenceStep.Channel.EMAIL), None)
    for index, step in enumerate(steps):
        step_errors: dict[str, Any] = {}
        variants = step.get("variants") or []
        if step["kind"] == SequenceStep.Kind.WAIT:
            if not 1 <= step.get("wait_days", 0) <= MAX_WAIT_DAYS:
                step_errors["wait_days"] = [f"a wait step waits 1 to {MAX_WAIT_DAYS} business days"]
            if variants:
                step_errors["variants"] = ["a wait step sends nothing: it has no variants"]
        else:
            if step.get("wait_days"):
                step_errors["wait_days"] = ["an email step does not wait: add a wait step before it"]
            if not 1 <= len(variants) <= MAX_VARIANTS:
                step_errors["variants"] = [f"an email step has 1 to {MAX_VARIANTS} variants (A to E)"]
            labels = [v["label"] for v in variants]
            variant_errors: dict[str, Any] = {}
            for v_index, variant in enumerate(variants):
                problems = StepVariant(**{k: variant.get(k, "") for k in VARIANT_FIELDS}).text_problems(
                    known, first_email=index == first_email)
                found = {VARIANT_FIELDS[name]: messages for name, messages in problems.items()}
                if step.get("channel") == SequenceStep.Channel.SMS and len(variant.get("body_template", "")) > MAX_SMS:
                    found.setdefault("body", []).append(f"a text is at most {MAX_SMS} characters (Twilio's limit)")
                if labels.count(variant["label"]) > 1:
                    found["label"] = [f"variant {variant['label']} appears more than once in this step"]
                if found:
                    variant_errors[str(v_index)] = found
            if variant_errors and "variants" not in step_errors:
                step_errors["variants"] = variant_errors
        if step_errors:
            errors[str(index)] = step_errors
    return errors


# Twilio refuses a message body longer than this (it splits it into up to 10 segments).
MAX_SMS = 1600
STEPS_IN_USE = ("{n} contacts are in this sequence; steps can be added at the end and texts edited, not removed or "
                "moved — copy it into a new sequence")


class SequenceSerializer(StrictJSONTypes, serializers.Serializer):
    name = serializers.CharField(max_length=100)
    slug = serializers.SlugField(max_length=100, required=False, help_text="Default: from the name.")
    steps = StepSerializer(many=True, help_text="In order: positions are the list order.")
    campaigns = serializers.SerializerMethodField(help_text="Slugs of the campaigns that run it.")
    created_at = serializers.DateTimeField(read_only=True)
    updated_at = serializers.DateTimeField(read_only=True)

    def run_validation(self, data: Any = empty) -> Any:
        try:
            return super().run_validation(data)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError(keyed_errors(exc.detail)) from exc

    def get_campaigns(self, obj: Sequence) -> list[str]:
        return sorted(campaign.slug for campaign in obj.campaigns.all())

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organization = organization_in(self)
        if self.instance is None or "name" in attrs or "slug" in attrs:
            name = attrs.get("name", getattr(self.instance, "name", ""))
            attrs["slug"] = slug_for(name, attrs.get("slug") or (self.instance.slug if self.instance else None))
            check_slug_free(Sequence, organization, attrs["slug"], self.instance, "sequence")
        steps = attrs.get("steps")
        if steps is None:
            return attrs
        if not any(step["kind"] == SequenceStep.Kind.EMAIL for step in steps):
            raise serializers.ValidationError({"steps": ["a sequence needs at least one email step"]})
        errors = sequence_rule_errors(steps, known_variables(organization))
        if errors:
            raise serializers.ValidationError({"steps": errors})
        if self.instance is not None:
            self._check_steps_kept(self.instance, steps)
        return attrs

    @staticmethod
    def _check_steps_kept(sequence: Sequence, steps: list[dict[str, Any]]) -> None:
        """Enrolled contacts point at steps by index: those may not go away or change places (or kinds)."""
        kinds = list(sequence.steps.order_by("position").values_list("kind", flat=True))
        if len(steps) >= len(kinds) and all(steps[i]["kind"] == kind for i, kind in enumerate(kinds)):
            return
        in_use = sequence.contacts_in()
        if in_use:
            raise serializers.ValidationError({"steps": [STEPS_IN_USE.format(n=in_use)]})

    def create(self, validated_data: dict[str, Any]) -> Sequence:
        with transaction.atomic():
            sequence = Sequence.objects.create(organization=organization_in(self), name=validated_data["name"],
                                               slug=validated_data["slug"])
            write_steps(sequence, validated_data["steps"])
        return sequence

    def update(self, instance: Sequence, validated_data: dict[str, Any]) -> Sequence:
        with transaction.atomic():
            for name in ("name", "slug"):
                if name in validated_data:
                    setattr(instance, name, validated_data[name])
            instance.save()  # also moves updated_at for an edit of the steps only
            if "steps" in validated_data:
                write_steps(instance, validated_data["steps"])
        return instance


def write_steps(sequence: Sequence, steps: list[dict[str, Any]]) -> None:
    """Make the sequence's steps ``steps``, in place: a step is matched by position and a variant by label, so
    the rows (and the figures and enrollments that point at them) survive an edit of their texts."""
    existing = {step.position: step for step in sequence.steps.prefetch_related("variants")}
    for position, data in enumerate(steps):
        step = existing.pop(position, None) or SequenceStep(sequence=sequence, position=position)
        step.kind = data["kind"]
        step.channel = data.get("channel", SequenceStep.Channel.EMAIL) if step.kind == SequenceStep.Kind.EMAIL \
            else SequenceStep.Channel.EMAIL
        step.wait_days = data.get("wait_days", 0) if step.kind == SequenceStep.Kind.WAIT else 0
        old_variants = {v.label: v for v in step.variants.all()} if step.pk else {}
        step.save()
        for variant_data in data.get("variants") or []:
            variant = old_variants.pop(variant_data["label"], None) or StepVariant(step=step,
                                                                                  label=variant_data["label"])
            variant.subject_template = variant_data.get("subject_template", "")
            variant.body_template = variant_data.get("body_template", "")
            variant.save()
        StepVariant.objects.filter(pk__in=[v.pk for v in old_variants.values()]).delete()
    SequenceStep.objects.filter(pk__in=[step.pk for step in existing.values()]).delete()


# --- campaigns ------------------------------------------------------------------------------------------------------

@extend_schema_field({"oneOf": [{"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 6}},
                                {"type": "string", "example": "mon-fri"}],
                      "description": "Weekdays, 0 = Monday … 6 = Sunday; on write also words: \"mon-fri\", "
                                     "\"mon,wed,fri\", \"weekdays\". Always read back as a list."})
class SendDaysField(serializers.Field):
    def to_internal_value(self, data: Any) -> list[int]:
        if isinstance(data, str):
            try:
                return sorted(parse_days(data))
            except ValueError as exc:
                raise serializers.ValidationError(str(exc)) from exc
        if not isinstance(data, list) or any(not isinstance(d, int) or isinstance(d, bool) or not 0 <= d <= 6
                                             for d in data):
            raise serializers.ValidationError('weekdays as numbers 0 (Monday) to 6 (Sunday), or words like "mon-fri"')
        return sorted(set(data))

    def to_representation(self, value: Any) -> list[int]:
        return list(value or [])


class StepFiguresSerializer(serializers.Serializer):
    step_index = serializers.IntegerField()
    variant = serializers.CharField()
    sent = serializers.IntegerField()
    failed = serializers.IntegerField()
    replied = serializers.IntegerField()
    bounced = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    meetings = serializers.IntegerField()


class CampaignFiguresSerializer(serializers.Serializer):
    campaign_id = serializers.IntegerField()
    enrolled = serializers.IntegerField()
    by_state = serializers.DictField(child=serializers.IntegerField(), help_text="Enrollments by state.")
    sent = serializers.IntegerField()
    replied = serializers.IntegerField()
    bounced = serializers.IntegerField()
    unsubscribed = serializers.IntegerField()
    meetings = serializers.IntegerField()
    steps = StepFiguresSerializer(many=True, help_text="Per step index and variant.")


TIME_FORMATS = ["%H:%M", "%H:%M:%S"]
# What TIME_FORMATS read (strptime takes one or two digits, seconds up to 61), so the schema says what is accepted.
CLOCK_TIME_PATTERN = r"^([01]?[0-9]|2[0-3]):[0-5]?[0-9](:([0-5]?[0-9]|6[01]))?$"


@extend_schema_field({"type": "string", "pattern": CLOCK_TIME_PATTERN, "example": "09:00",
                      "description": "A time of day on the campaign's clock, HH:MM (seconds accepted on write)."})
class ClockTimeField(serializers.TimeField):
    """HH:MM in and out. Documented as a pattern: OpenAPI's "time" format is RFC 3339's, with seconds and a zone."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", input_formats=TIME_FORMATS, **kwargs)


def validate_zone_name(value: str) -> str:
    if not is_valid_zone(value):
        raise serializers.ValidationError(f"unknown time zone '{value}'; use an IANA name such as Europe/Paris")
    return value


class CampaignSerializer(StrictJSONTypes, serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=100, required=False, help_text="Default: from the name.")
    sequence = ScopedSlugField("sequence", queryset=Sequence.objects.all(), allow_null=True, required=False)
    list = ScopedSlugField("contact list", source="contact_list", queryset=ContactList.objects.all(),
                           allow_null=True, required=False)
    send_days = SendDaysField(required=False)
    send_days_text = serializers.SerializerMethodField()
    send_start = ClockTimeField(required=False)
    send_end = ClockTimeField(required=False)
    timezone = serializers.CharField(max_length=64, required=False, validators=[validate_zone_name],
                                     help_text="IANA zone of contacts with no zone of their own.")
    figures = serializers.SerializerMethodField()

    class Meta:
        model = Campaign
        fields = ["name", "slug", "status", "from_name", "sequence", "list", "send_days", "send_days_text",
                  "send_start", "send_end", "timezone", "min_gap_seconds", "max_gap_seconds", "started_at", "figures"]
        read_only_fields = ["status", "started_at"]

    def get_send_days_text(self, obj: Campaign) -> str:
        return format_days(obj.send_days or [])

    @extend_schema_field(CampaignFiguresSerializer)
    def get_figures(self, obj: Campaign) -> dict[str, Any] | None:
        # The views compute figures for a whole page at once (campaign_figures) and pass them in.
        figures = self.context.get("figures", {}).get(obj.pk)
        return figures.as_dict() if figures is not None else None

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        organization = organization_in(self)
        if self.instance is None or "name" in attrs or "slug" in attrs:
            name = attrs.get("name", getattr(self.instance, "name", ""))
            attrs["slug"] = slug_for(name, attrs.get("slug") or (self.instance.slug if self.instance else None))
            check_slug_free(Campaign, organization, attrs["slug"], self.instance, "campaign")
        # The campaign as it would be saved, asked whether its window ever opens.
        draft = Campaign(**{f.attname: getattr(self.instance, f.attname) for f in Campaign._meta.concrete_fields}
                         ) if self.instance is not None else Campaign(organization=organization)
        for name, value in attrs.items():
            setattr(draft, name, value)
        errors = {name: [message] for name, message in draft.window_problems().items()}
        if draft.min_gap_seconds > draft.max_gap_seconds:
            errors["max_gap_seconds"] = ["the longest gap between two sends must not be shorter than the shortest"]
        instance = self.instance
        if (instance is not None and "sequence" in attrs and attrs["sequence"] != instance.sequence
                and instance.enrollments.exists()):
            errors["sequence"] = [f"campaign {instance.slug} already has contacts in sequence "
                                  f"{instance.sequence.slug if instance.sequence else '(none)'}; they would mix two "
                                  "sequences: start a new campaign"]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def create(self, validated_data: dict[str, Any]) -> Campaign:
        return Campaign.objects.create(organization=organization_in(self), **validated_data)


class CampaignStartRequestSerializer(StrictJSONTypes, serializers.Serializer):
    sequence = serializers.CharField(max_length=100, required=False,
                                     help_text="The sequence's slug; default: the one the campaign has.")
    list = serializers.CharField(max_length=100, required=False, help_text="A list whose contacts to enroll.")


class CampaignStartSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    status = serializers.ChoiceField(choices=Campaign.Status.choices)
    sequence = serializers.CharField()
    list = serializers.CharField(allow_null=True)
    enrolled = serializers.IntegerField()
    already_enrolled = serializers.IntegerField()
    suppressed = serializers.IntegerField()
    without_email = serializers.IntegerField()
    sending_inboxes = serializers.IntegerField(help_text="Inboxes the campaign may send from now; 0 sends nothing.")


class CampaignStatusChangeSerializer(serializers.Serializer):
    campaign = serializers.CharField()
    status = serializers.ChoiceField(choices=Campaign.Status.choices)
    changed = serializers.BooleanField(help_text="False when it already was in that status.")


class EnrollRequestSerializer(StrictJSONTypes, serializers.Serializer):
    list = serializers.CharField(max_length=100, required=False, help_text="Enroll this list's contacts.")
    contacts = serializers.ListField(child=serializers.IntegerField(min_value=1), required=False, allow_empty=False,
                                     max_length=10000, help_text="Or these contacts, by id.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("list" in attrs) == ("contacts" in attrs):
            raise serializers.ValidationError({"non_field_errors": ["give either list or contacts"]})
        return attrs


class EnrollReportSerializer(serializers.Serializer):
    enrolled = serializers.IntegerField()
    already_enrolled = serializers.IntegerField()
    suppressed = serializers.IntegerField(help_text="Skipped: on the suppression list.")
    without_email = serializers.IntegerField()


class PreviewRequestSerializer(StrictJSONTypes, serializers.Serializer):
    step = serializers.IntegerField(min_value=0, help_text="The email step's position (0-based).")
    variant = serializers.ChoiceField(choices=VARIANT_LABELS, default="A")
    contact = serializers.IntegerField(min_value=1, required=False,
                                       help_text="Default: the first contact of the campaign's list, else of the "
                                                 "organization.")
    subject = serializers.CharField(max_length=300, required=False, allow_blank=True,
                                    help_text="Unsaved text from the editor, checked like a save.")
    body = serializers.CharField(max_length=20000, required=False, allow_blank=True,
                                 help_text="Unsaved text from the editor, checked like a save.")


class PreviewContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    first_name = serializers.CharField()


class PreviewSerializer(serializers.Serializer):
    subject = serializers.CharField()
    body = serializers.CharField()
    text = serializers.CharField(help_text="The text as sent: body and the unsubscribe footer.")
    variant = serializers.CharField()
    zone = serializers.CharField(help_text="The contact's time zone.")
    window_open_now = serializers.BooleanField()
    contact = PreviewContactSerializer()


# --- enrollments ----------------------------------------------------------------------------------------------------

class EnrollmentContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.EmailField()
    name = serializers.SerializerMethodField()

    def get_name(self, obj: Contact) -> str:
        return f"{obj.first_name} {obj.last_name}".strip()


class EnrollmentSerializer(serializers.ModelSerializer):
    campaign = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    contact = EnrollmentContactSerializer(read_only=True)
    inbox = serializers.SlugRelatedField(slug_field="address", read_only=True, help_text="The inbox it sends from.")

    class Meta:
        model = Enrollment
        fields = ["id", "campaign", "contact", "state", "step_index", "next_due_at", "inbox", "emails_sent",
                  "last_sent_at", "last_error", "enrolled_at"]
        read_only_fields = fields


class EnrollmentTransitionSerializer(serializers.ModelSerializer):
    class Meta:
        model = EnrollmentTransition
        fields = ["from_state", "to_state", "step_index", "reason", "actor", "at"]
        read_only_fields = fields


class EnrollmentDetailSerializer(EnrollmentSerializer):
    transitions = EnrollmentTransitionSerializer(many=True, read_only=True, help_text="The audit trail, oldest first.")

    class Meta(EnrollmentSerializer.Meta):
        fields = [*EnrollmentSerializer.Meta.fields, "state_changed_at", "paused_from", "transitions"]
        read_only_fields = fields


class EnrollmentFilterSerializer(serializers.Serializer):
    campaign = ScopedSlugField("campaign", queryset=Campaign.objects.all(), required=False)
    state = serializers.ChoiceField(choices=EnrollmentState.choices, required=False)
    contact = serializers.IntegerField(min_value=1, required=False)


# --- contacts and lists ---------------------------------------------------------------------------------------------

def e164(value: str) -> str:
    """A phone number in E.164 ("+447700900123"), or a field error; "" stays "" (email-only contacts)."""
    value = value.strip()
    if not value:
        return ""
    try:
        number = phonenumbers.parse(value, None)
    except phonenumbers.NumberParseException as exc:
        raise serializers.ValidationError(
            "write the number in international form with its country code, e.g. +447700900123") from exc
    if not phonenumbers.is_valid_number(number):
        raise serializers.ValidationError(f"{value} is not a valid phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


class ContactSerializer(StrictJSONTypes, serializers.ModelSerializer):
    lists = ScopedSlugField("contact list", queryset=ContactList.objects.all(), many=True, required=False,
                            help_text="Slugs of the lists it is on.")
    timezone = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                     help_text="IANA zone; empty: from the phone, else the campaign's.")
    custom_fields = serializers.DictField(required=False, help_text="Keys are normalized: \"Job Title\" is "
                                                                    "job_title ({{job_title}} in templates).")

    class Meta:
        model = Contact
        fields = ["id", "email", "phone", "first_name", "last_name", "company", "timezone", "custom_fields", "lists",
                  "sms_consent_at", "sms_consent_source", "source", "created_at"]
        read_only_fields = ["id", "source", "created_at"]
        extra_kwargs = {"email": {"required": False},
                        "sms_consent_at": {"help_text": "When the contact agreed to texts; with its source, or "
                                                        "neither (SMS steps skip contacts without both)."},
                        "sms_consent_source": {"help_text": "How the consent was given (\"web form\", \"signed "
                                                            "at the stand\")."}}

    def validate_email(self, value: str) -> str:
        value = value.strip().lower()
        taken = Contact.objects.filter(organization=organization_in(self), email=value)
        if self.instance is not None:
            taken = taken.exclude(pk=self.instance.pk)
        if value and taken.exists():
            raise serializers.ValidationError(f"{value} is already a contact of your organization")
        return value

    def validate_phone(self, value: str) -> str:
        return e164(value)

    def validate_timezone(self, value: str) -> str:
        return validate_zone_name(value.strip()) if value.strip() else ""

    def validate_custom_fields(self, value: dict[str, Any]) -> dict[str, str]:
        fields: dict[str, str] = {}
        for key, item in value.items():
            name = normalize_field_name(str(key))
            if not name:
                raise serializers.ValidationError(f"field name {key!r} has no letter or digit")
            if isinstance(item, (dict, list)):
                raise serializers.ValidationError(f"{key}: a field holds text or a number, not a list or object")
            fields[name] = "" if item is None else str(item)
        return fields

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        email = attrs.get("email", getattr(self.instance, "email", ""))
        phone = attrs.get("phone", getattr(self.instance, "phone", ""))
        if not email and not phone:
            raise serializers.ValidationError({"email": ["a contact needs an email or a phone number"]})
        consent_at = attrs.get("sms_consent_at", getattr(self.instance, "sms_consent_at", None))
        consent_source = attrs.get("sms_consent_source", getattr(self.instance, "sms_consent_source", ""))
        if (consent_at is None) != (not (consent_source or "").strip()):
            # Consent is only evidence with both: when it was given and how.
            raise serializers.ValidationError({"sms_consent_source": [
                "SMS consent is recorded with both its time (sms_consent_at) and its source, or neither"]})
        return attrs


class ContactFilterSerializer(serializers.Serializer):
    list = ScopedSlugField("contact list", queryset=ContactList.objects.all(), required=False)
    q = serializers.CharField(max_length=200, required=False, allow_blank=True,
                              help_text="Part of the email, name or company.")


class ContactListSerializer(StrictJSONTypes, serializers.ModelSerializer):
    slug = serializers.SlugField(max_length=100, required=False, help_text="Default: from the name.")
    contacts = serializers.SerializerMethodField()

    class Meta:
        model = ContactList
        fields = ["name", "slug", "contacts", "created_at"]
        read_only_fields = ["created_at"]

    def get_contacts(self, obj: ContactList) -> int:
        return getattr(obj, "n_contacts", 0)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        attrs["slug"] = slug_for(attrs["name"], attrs.get("slug"))
        check_slug_free(ContactList, organization_in(self), attrs["slug"], None, "contact list")
        return attrs

    def create(self, validated_data: dict[str, Any]) -> ContactList:
        return ContactList.objects.create(organization=organization_in(self), **validated_data)
