"""The agent behind "triage replies" (the dashboard's example): triage and act on the replies not handled yet.

The IMAP poller hands each stored batch to the pipeline at once, so this mission mostly finds what a crash or an
outage left unprocessed, and reports where the organization's replies stand (how many still wait for a person).
"for campaign X" limits it to the replies that reached the inboxes of X's sending domains.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from agents.base import BaseAgent, FatalAgentError, MissionContext
from campaigns.params import TriageRepliesParams
from campaigns.services import CampaignError, campaign_named
from replies import pipeline
from replies.models import Category, InboundMessage

# One mission's worth; a larger backlog is left for the next run (or the poller's own catch-up).
TRIAGE_BATCH = 500


class TriageRepliesAgent(BaseAgent):
    name = "triage_replies"
    version = "1.0"
    description = "Triages and acts on the replies not handled yet; reports them by category and what awaits review."
    Params = TriageRepliesParams
    reuse_results = False  # the replies waiting now are the work, never an older run's answer

    def execute(self, context: MissionContext, plan: dict[str, Any]) -> dict[str, Any]:
        organization = context.mission.organization
        messages = InboundMessage.objects.filter(organization=organization)
        if plan.get("campaign"):
            try:
                campaign = campaign_named(organization, plan["campaign"])
            except CampaignError as exc:
                raise FatalAgentError(exc.message, field=exc.field) from exc
            messages = messages.filter(inbox__domain__campaign=campaign)
        waiting = list(messages.filter(acted_at__isnull=True).order_by("pk").values_list("pk", flat=True)[:TRIAGE_BATCH])
        done = pipeline.process(waiting)
        categories = Counter(message.category for message in done)
        return {"triaged": len(done), "failed": len(waiting) - len(done), "categories": dict(sorted(categories.items())),
                "needs_review": messages.filter(category=Category.NEEDS_REVIEW, corrected_category="").count()}
