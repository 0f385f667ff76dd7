"""Request and response shapes of the domain API (docs/domains-api.md).

Responses serialize the dicts of ``domains.overview`` (the same rows the Domains page and its websocket
messages carry), so every consumer sees one shape.
"""

from __future__ import annotations

from django.utils.text import slugify
from rest_framework import serializers

from domains.models import DNS_STATUS_LABELS, DomainPool, DomainState
from tenants.models import Organization


def organization_in(serializer: serializers.Serializer) -> Organization:
    return serializer.context["organization"]


def pool_named(organization: Organization, slug: str) -> DomainPool:
    pool = DomainPool.objects.filter(organization=organization, slug=slug).first()
    if pool is None:
        known = list(DomainPool.objects.filter(organization=organization).values_list("slug", flat=True))
        raise serializers.ValidationError(
            f"no domain pool '{slug}' in your organization" + (f" (pools: {', '.join(known)})" if known else ""))
    return pool


class DomainFilterSerializer(serializers.Serializer):
    state = serializers.ListField(child=serializers.ChoiceField(choices=DomainState.choices), required=False)
    pool = serializers.SlugField(required=False)
    campaign = serializers.CharField(max_length=100, required=False)

    def validate_pool(self, value: str) -> DomainPool:
        return pool_named(organization_in(self), value)

    def validate_campaign(self, value: str) -> str:
        """The slug of one of the organization's campaigns (read through the tenant: campaigns sits above)."""
        slug = slugify(value)
        if not slug or not organization_in(self).campaigns.filter(slug=slug).exists():
            raise serializers.ValidationError(f"no campaign '{slug or value}' in your organization")
        return slug


# --- responses ------------------------------------------------------------------------------------------------------

class DomainSummarySerializer(serializers.Serializer):
    name = serializers.CharField()
    state = serializers.ChoiceField(choices=DomainState.choices)
    state_label = serializers.CharField()
    state_changed_at = serializers.DateTimeField()
    pool = serializers.CharField(help_text="The pool's slug.")
    pool_name = serializers.CharField()
    pool_quota = serializers.IntegerField(help_text="How many of the pool's domains may be in use at once.")
    campaign = serializers.CharField(allow_null=True, help_text="The campaign's slug while in use.")
    campaign_name = serializers.CharField(allow_null=True)
    assigned_at = serializers.DateTimeField(allow_null=True, help_text="When it was last assigned to a campaign.")
    daily_cap = serializers.IntegerField(help_text="The domain's own cap on sends per day, across its inboxes.")
    dns_ok = serializers.BooleanField(help_text="Whether the latest DNS check passed (MX, SPF, DKIM, DMARC).")
    dns_status = serializers.ChoiceField(choices=list(DNS_STATUS_LABELS),
                                         help_text="`dns_ok` as the page and the admin show it: pass, fail (checked "
                                                   "and failing) or not_checked.")
    dns_status_label = serializers.CharField(help_text='"OK", "failing" or "not checked" (under a DNS heading).')
    dns_checked_at = serializers.DateTimeField(allow_null=True)
    inbox_count = serializers.IntegerField()
    sending_inboxes = serializers.IntegerField(help_text="Inboxes active or warming.")
    today_sent = serializers.IntegerField()
    today_limit = serializers.IntegerField(help_text="The smaller of the domain's cap and its inboxes' limits "
                                                     "today; 0 when the domain may not send.")
    warmup_progress = serializers.IntegerField(allow_null=True, help_text="Percent of full volume, averaged over "
                                                                          "its inboxes (active = 100).")


class DomainInboxTodaySerializer(serializers.Serializer):
    address = serializers.EmailField()
    status = serializers.CharField()
    daily_cap = serializers.IntegerField()
    warmup_limit = serializers.IntegerField()
    warmup_day = serializers.IntegerField()
    timezone = serializers.CharField()
    today = serializers.DateField(help_text="The inbox's today, in its timezone.")
    today_sent = serializers.IntegerField()
    today_limit = serializers.IntegerField()


class DomainDnsCheckSerializer(serializers.Serializer):
    checked_at = serializers.DateTimeField()
    passed = serializers.BooleanField()
    results = serializers.JSONField(help_text='"mx", "spf", "dkim", "dmarc" → {"ok", "records", "detail"}.')
    dmarc_policy = serializers.CharField()


class DomainHistoryEntrySerializer(serializers.Serializer):
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    reason = serializers.CharField()
    actor = serializers.CharField()
    at = serializers.DateTimeField()


class DomainDetailSerializer(DomainSummarySerializer):
    dkim_selector = serializers.CharField()
    incidents = serializers.IntegerField()
    rest_until = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    today = serializers.DateField(help_text="The day today_sent counts (the domain's inboxes' today).")
    inboxes = DomainInboxTodaySerializer(many=True)
    dns = DomainDnsCheckSerializer(allow_null=True, help_text="The latest DNS check; null before the first.")
    transitions = DomainHistoryEntrySerializer(many=True, help_text="The last 20 state changes, newest first.")
