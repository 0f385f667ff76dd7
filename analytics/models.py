"""``DailyStat``: one row per organization, day (UTC), campaign, step, variant, inbox and sending domain.

Rows are written only by ``analytics.rollup``, which recomputes a whole (organization, day) slice from the source
rows and replaces it in one transaction: running it twice gives the same rows, so a beat run that overlaps
another, or a backfill over days already rolled up, can never count anything twice.
"""

from __future__ import annotations

from django.db import models

from tenants.models import Organization

# Reply categories kept per row, as the replies app names them (replies.models.Category): the ones a person or an
# auto-responder wrote. Bounces and complaints read over IMAP are counted in their own columns, not as replies.
REPLY_CATEGORIES = ("interested", "referral", "question", "not_interested", "unsubscribe", "out_of_office",
                    "auto_reply", "other", "needs_review")
# What counts as a positive reply: the contact wants to talk, or points to who does.
POSITIVE_CATEGORIES = ("interested", "referral")
BOUNCE_CLASSES = ("hard", "soft", "infrastructure")

# Every counter column of a row, in the order the CSV and the API list them.
COUNTERS = ("sent", *(f"bounced_{klass}" for klass in BOUNCE_CLASSES), "complaints",
            *(f"replies_{category}" for category in REPLY_CATEGORIES), "unsubscribes", "meetings")


class DailyStat(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="daily_stats")
    day = models.DateField()
    # The dimensions; null (or "") where the source row has none: a one-off send outside a campaign, a reply
    # matched to no message.
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="+")
    step_index = models.PositiveSmallIntegerField(null=True, blank=True, help_text="0 = the sequence's first step.")
    variant_label = models.CharField(max_length=8, blank=True)
    inbox = models.ForeignKey("inboxes.Inbox", null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    domain = models.ForeignKey("domains.Domain", null=True, blank=True, on_delete=models.CASCADE, related_name="+")

    sent = models.PositiveIntegerField(default=0)
    bounced_hard = models.PositiveIntegerField(default=0)
    bounced_soft = models.PositiveIntegerField(default=0)
    bounced_infrastructure = models.PositiveIntegerField(default=0)
    complaints = models.PositiveIntegerField(default=0)
    replies_interested = models.PositiveIntegerField(default=0)
    replies_referral = models.PositiveIntegerField(default=0)
    replies_question = models.PositiveIntegerField(default=0)
    replies_not_interested = models.PositiveIntegerField(default=0)
    replies_unsubscribe = models.PositiveIntegerField(default=0)
    replies_out_of_office = models.PositiveIntegerField(default=0)
    replies_auto_reply = models.PositiveIntegerField(default=0)
    replies_other = models.PositiveIntegerField(default=0)
    replies_needs_review = models.PositiveIntegerField(default=0)
    unsubscribes = models.PositiveIntegerField(default=0)
    meetings = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["day", "id"]
        indexes = [
            # The page and the export read an organization's date range, optionally for one campaign.
            models.Index(fields=["organization", "day"], name="dailystat_org_day"),
            models.Index(fields=["organization", "campaign", "day"], name="dailystat_org_campaign_day"),
        ]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day} campaign {self.campaign_id} step {self.step_index}: {self.sent} sent"
