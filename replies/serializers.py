"""Shapes of the replies API (``replies.api``): the filters and bodies it reads, and the rows it answers.

The rows are built by ``replies.services`` (``inbound_row``, ``inbound_detail``, ``outbound_row``), the same
dicts the inbox page and the live frames carry; these serializers check and document them.
"""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from campaigns.models import Campaign
from core.strict_types import StrictJSONTypes
from inboxes.models import Inbox
from replies.models import Category
from replies.services import UNTRIAGED

CATEGORY_CHOICES = [*Category.choices, (UNTRIAGED, "Untriaged")]


class ScopedLookupField(serializers.SlugRelatedField):
    """A slug (or address) of one of the organization's rows; another organization's is unknown, like a missing one."""

    def __init__(self, what: str, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"does_not_exist": f"no {what} '{{value}}' in your organization"})
        super().__init__(**kwargs)

    def get_queryset(self) -> Any:
        return self.queryset.model.objects.filter(organization=self.context["organization"])


class ReplyFilterSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, required=False,
                                       help_text="The effective category (a person's correction over the machine's).")
    inbox = ScopedLookupField("inbox", slug_field="address", queryset=Inbox.objects.all(), required=False,
                              help_text="The address of the inbox that received it.")
    campaign = ScopedLookupField("campaign", slug_field="slug", queryset=Campaign.objects.all(), required=False,
                                 help_text="The slug of the campaign it answers.")
    q = serializers.CharField(max_length=200, required=False, allow_blank=True,
                              help_text="Text in the sender, the subject or the text.")
    # Absent is no filter; "null" or an empty value is not the boolean the schema documents (so no allow_null).
    needs_review = serializers.BooleanField(required=False, default=None,
                                            help_text="true: only what waits for a person; false: the others.")


class CampaignRefSerializer(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()


class ContactRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()


class ReplySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_at = serializers.DateTimeField(allow_null=True)
    from_address = serializers.CharField()
    from_name = serializers.CharField()
    to_address = serializers.CharField()
    subject = serializers.CharField()
    snippet = serializers.CharField(help_text="The start of the reply's own words.")
    category = serializers.ChoiceField(choices=CATEGORY_CHOICES, help_text="Effective: a correction over the machine's.")
    machine_category = serializers.ChoiceField(choices=CATEGORY_CHOICES, help_text="What triage decided.")
    layer = serializers.CharField(help_text="rules, llm, review (neither was sure) or human; empty: untriaged.")
    confidence = serializers.FloatField(allow_null=True)
    corrected_by = serializers.CharField(allow_null=True, help_text="Who relabelled it, if anyone.")
    corrected_at = serializers.DateTimeField(allow_null=True)
    needs_review = serializers.BooleanField()
    inbox = serializers.CharField(allow_null=True, help_text="The inbox that received it.")
    campaign = CampaignRefSerializer(allow_null=True)
    contact = ContactRefSerializer(allow_null=True)
    step = serializers.IntegerField(allow_null=True, help_text="1-based step of the sequence email it answers.")
    variant = serializers.CharField()
    match = serializers.CharField(help_text="How it was matched: in_reply_to, references, sender, company, bounce.")
    acted_at = serializers.DateTimeField(allow_null=True)


class ThreadItemSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("outbound", "Outbound"), ("inbound", "Inbound")])
    id = serializers.CharField()
    at = serializers.DateTimeField(allow_null=True)
    from_address = serializers.CharField()
    to_address = serializers.CharField()
    subject = serializers.CharField()
    text = serializers.CharField(help_text="An inbound reply's words; the body of a reply sent from the inbox page.")
    step = serializers.IntegerField(allow_null=True)
    variant = serializers.CharField()
    status = serializers.CharField(help_text="An outbound message's delivery status.")
    category = serializers.CharField(help_text="An inbound message's effective category.")
    sent_by = serializers.CharField(help_text="Who wrote a reply sent from the inbox page.")
    message_id = serializers.CharField()


class EnrollmentRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()


class ReplyDetailSerializer(ReplySerializer):
    message_id = serializers.CharField()
    body_text = serializers.CharField()
    new_text = serializers.CharField()
    details = serializers.JSONField(help_text='{"bounce": {class, recipient, status, reason} | null, '
                                              '"return_date": "YYYY-MM-DD" | null, "referral": {email, name} | null, '
                                              '"reason": "what decided it"}')
    actions = serializers.JSONField(help_text="What REX did about it (stopped the sequence, paused until …).")
    enrollment = EnrollmentRefSerializer(allow_null=True)
    can_reply = serializers.BooleanField()
    thread = ThreadItemSerializer(many=True)


class TriageAccuracySerializer(serializers.Serializer):
    decided = serializers.IntegerField(help_text="Messages the rules or the LLM categorised.")
    corrected = serializers.IntegerField(help_text="Of those, how many a person relabelled to another category.")
    share = serializers.FloatField(allow_null=True, help_text="1 - corrected / decided; null before any decision.")


class ReplyCountsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    categories = serializers.DictField(child=serializers.IntegerField(),
                                       help_text="Every category (and untriaged) with its number, zeros included.")
    accuracy = TriageAccuracySerializer(help_text="How often people corrected the triage (relabels).")


class RelabelRequestSerializer(StrictJSONTypes, serializers.Serializer):
    category = serializers.ChoiceField(choices=Category.choices)


class ReplyRequestSerializer(StrictJSONTypes, serializers.Serializer):
    body = serializers.CharField(max_length=20000, trim_whitespace=True)
    request_id = serializers.RegexField(r"^[A-Za-z0-9._:-]{8,64}$", error_messages={
        "invalid": "8 to 64 characters: letters, digits, '.', '_', ':' or '-'"},
        help_text="The client's id of this click (a UUID): the same id sends once.")


class SentReplySerializer(serializers.Serializer):
    id = serializers.CharField()
    status = serializers.CharField()
    from_address = serializers.CharField()
    to_address = serializers.CharField()
    subject = serializers.CharField()
    message_id = serializers.CharField()
    in_reply_to = serializers.CharField()
    references = serializers.CharField()
    sent_at = serializers.DateTimeField(allow_null=True)
    error = serializers.CharField()
    body = serializers.CharField()
    sent_by = serializers.CharField()


class ReplyConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    message = SentReplySerializer(allow_null=True)


class ReplyFailedSerializer(serializers.Serializer):
    detail = serializers.CharField()
    recoverable = serializers.BooleanField(help_text="Whether sending again with the same request_id may work.")
    message = SentReplySerializer(allow_null=True)
