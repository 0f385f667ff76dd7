"""Request and response shapes of assigning domains to campaigns (``POST /api/domain/assign`` and ``/release``).

The domain rows come from ``domains.overview`` (the same rows the Domains page and its live frames carry), so
every consumer sees one shape.
"""

from __future__ import annotations

from typing import Any

from django.utils.text import slugify
from rest_framework import serializers

from campaigns.assignment import MAX_ASSIGN
from campaigns.models import Campaign
from core.strict_types import StrictJSONTypes
from domains.models import DomainPool, DomainState
from domains.serializers import organization_in, pool_named


def _campaign_slug(value: str) -> str:
    slug = slugify(value)
    if not slug:
        raise serializers.ValidationError("a campaign name needs at least one letter or digit")
    return slug


class DomainAssignRequestSerializer(StrictJSONTypes, serializers.Serializer):
    campaign = serializers.CharField(max_length=100, help_text="The campaign's name or slug; a new name creates "
                                                               "the campaign (as a draft).")
    count = serializers.IntegerField(min_value=1, max_value=MAX_ASSIGN, help_text="How many domains.")
    pool = serializers.SlugField(max_length=100, required=False,
                                 help_text="Take them from this pool only (its slug); default: any pool.")

    def validate_campaign(self, value: str) -> str:
        slug = _campaign_slug(value)
        existing = Campaign.objects.filter(organization=organization_in(self), slug=slug).first()
        if existing is not None and existing.status == Campaign.Status.FINISHED:
            raise serializers.ValidationError(f"campaign {slug} is finished; it cannot take domains")
        return value.strip()

    def validate_pool(self, value: str) -> DomainPool:
        return pool_named(organization_in(self), value)


class DomainReleaseRequestSerializer(StrictJSONTypes, serializers.Serializer):
    campaign = serializers.CharField(max_length=100, help_text="The campaign's name or slug.")
    domains = serializers.ListField(
        child=serializers.CharField(max_length=253), required=False, allow_empty=False, max_length=1000,
        help_text="The domains to release; leave the field out to release all of the campaign's domains.",
    )

    def validate_campaign(self, value: str) -> Campaign:
        slug = _campaign_slug(value)
        campaign = Campaign.objects.filter(organization=organization_in(self), slug=slug).first()
        if campaign is None:
            raise serializers.ValidationError(f"no campaign '{slug}' in your organization")
        return campaign

# --- responses ------------------------------------------------------------------------------------------------------

class AssignedDomainInboxSerializer(serializers.Serializer):
    address = serializers.EmailField()
    status = serializers.CharField()
    today_limit = serializers.IntegerField(help_text="Sends allowed today: the warmup volume while warming, the "
                                                     "cap when warmed, 0 when paused or disabled.")


class AssignedDomainSerializer(serializers.Serializer):
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=DomainState.choices)
    pool = serializers.CharField()
    campaign = serializers.CharField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True)
    daily_cap = serializers.IntegerField()
    today_limit = serializers.IntegerField()
    inboxes = AssignedDomainInboxSerializer(many=True)


class CampaignDomainsSerializer(serializers.Serializer):
    campaign = serializers.CharField(help_text="The campaign's slug.")
    domains = AssignedDomainSerializer(many=True)


class DomainAssignConflictSerializer(serializers.Serializer):
    detail = serializers.CharField()
    available = serializers.IntegerField(help_text="How many could have been assigned.")


def assigned_domain(snapshot: dict[str, Any], inboxes: list[dict[str, Any]]) -> dict[str, Any]:
    return {**{key: snapshot[key] for key in ("name", "state", "pool", "campaign", "assigned_at", "daily_cap",
                                              "today_limit")},
            "inboxes": inboxes}
