"""The analytics filters (shared by the page, the CSV export and the API) and the API's answer, for the schema."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone
from rest_framework import serializers

from analytics.figures import DERIVED, Filters
from analytics.models import COUNTERS
from campaigns.models import Campaign
from domains.models import DomainPool
from replies.serializers import ScopedLookupField


class AnalyticsFilterSerializer(serializers.Serializer):
    start = serializers.DateField(required=False, help_text="First day (UTC), YYYY-MM-DD; default 29 days before end.")
    end = serializers.DateField(required=False, help_text="Last day (UTC, included), YYYY-MM-DD; default today.")
    campaign = ScopedLookupField("campaign", slug_field="slug", queryset=Campaign.objects.all(), required=False,
                                 help_text="The slug of one campaign.")
    client = ScopedLookupField("client", slug_field="slug", queryset=DomainPool.objects.all(), required=False,
                               help_text="The slug of one client (its domain pool): what its domains sent.")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        end = attrs.get("end") or timezone.now().date()
        start = attrs.get("start") or end - timedelta(days=settings.REX_ANALYTICS_DEFAULT_DAYS - 1)
        if start > end:
            raise serializers.ValidationError({"start": ["must not be after end"]})
        if (end - start).days + 1 > settings.REX_ANALYTICS_MAX_DAYS:
            raise serializers.ValidationError(
                {"end": [f"a range covers at most {settings.REX_ANALYTICS_MAX_DAYS} days"]})
        return {**attrs, "start": start, "end": end}


def filters_from(query: dict[str, str], organization: Any) -> Filters:
    """The filters of a query string; raises ``ValidationError`` (field errors) for a bad one.

    An empty value is no filter: the page's form sends ``campaign=`` for "All campaigns".
    """
    given = {name: value for name, value in query.items() if value != ""}
    form = AnalyticsFilterSerializer(data=given, context={"organization": organization})
    form.is_valid(raise_exception=True)
    data = form.validated_data
    return Filters(start=data["start"], end=data["end"], campaign=data.get("campaign"), client=data.get("client"))


def _figure_fields() -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {name: serializers.IntegerField() for name in COUNTERS}
    for name in DERIVED:
        fields[name] = (serializers.FloatField(allow_null=True, help_text="null: nothing to divide by.")
                        if name.endswith("_rate") else serializers.IntegerField())
    return fields


FiguresSerializer = type("AnalyticsFiguresSerializer", (serializers.Serializer,), _figure_fields())
CampaignFiguresSerializer = type("AnalyticsCampaignFiguresSerializer", (serializers.Serializer,), {
    "campaign": serializers.CharField(allow_null=True, help_text="null: sent outside any campaign."),
    "campaign_name": serializers.CharField(allow_null=True), **_figure_fields()})
StepFiguresSerializer = type("AnalyticsStepFiguresSerializer", (serializers.Serializer,), {
    "campaign": serializers.CharField(allow_null=True), "step": serializers.IntegerField(help_text="1 = the first."),
    "variant": serializers.CharField(), **_figure_fields()})
DomainFiguresSerializer = type("AnalyticsDomainFiguresSerializer", (serializers.Serializer,), {
    "domain": serializers.CharField(allow_null=True), **_figure_fields()})
DayFiguresSerializer = type("AnalyticsDayFiguresSerializer", (serializers.Serializer,), {
    "day": serializers.DateField(), **_figure_fields()})
InboxFiguresSerializer = type("AnalyticsInboxFiguresSerializer", (serializers.Serializer,), {
    "inbox": serializers.CharField(allow_null=True), **_figure_fields()})


class FunnelStageSerializer(serializers.Serializer):
    stage = serializers.CharField()
    count = serializers.IntegerField()


class AppliedFiltersSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    campaign = serializers.CharField(required=False)
    client = serializers.CharField(required=False)


class AnalyticsSerializer(serializers.Serializer):
    filters = AppliedFiltersSerializer()
    totals = FiguresSerializer()
    funnel = FunnelStageSerializer(many=True)
    days = DayFiguresSerializer(many=True, help_text="One entry per day that has figures, oldest first.")
    campaigns = CampaignFiguresSerializer(many=True)
    steps = StepFiguresSerializer(many=True)
    domains = DomainFiguresSerializer(many=True)
    inboxes = InboxFiguresSerializer(many=True)
