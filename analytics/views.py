"""The /analytics/ page and its CSV export (/analytics/export.csv), both under the same filters as the API.

The page renders the figures into a ``json_script`` block; static/rex/analytics.js draws the charts (Chart.js,
vendored under static/vendor/chartjs/) and tables from it, and fetches ``GET /api/analytics/`` again whenever
the rollup tells the ``analytics`` stream that a day changed.
"""

from __future__ import annotations

import csv
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from rest_framework.exceptions import ValidationError

from analytics.figures import CSV_DIMENSIONS, DERIVED, export_rows, figures
from analytics.models import COUNTERS
from analytics.serializers import filters_from
from campaigns.models import Campaign
from domains.models import DomainPool
from tenants.access import organization_page

CSV_COLUMNS = (*CSV_DIMENSIONS, *COUNTERS, *DERIVED)

# The headline figures, in reading order. Open rates are deliberately absent (docs/analytics.md).
TOTALS_SHOWN = (("sent", "Sent"), ("delivered", "Delivered"), ("bounce_rate", "Bounce rate"),
                ("complaint_rate", "Complaint rate"), ("replies", "Replies"), ("positive_reply_rate",
                                                                                "Positive-reply rate"),
                ("meetings", "Meetings"), ("unsubscribes", "Unsubscribes"))
# Columns every breakdown table shows after its own key columns; the JS fills the rows from the figures' JSON.
FIGURE_COLUMNS = (("sent", "Sent"), ("delivered", "Delivered"), ("bounced_hard", "Hard"), ("bounced_soft", "Soft"),
                  ("bounced_infrastructure", "Infra"), ("bounce_rate", "Bounce %"), ("complaints", "Compl."),
                  ("replies_interested", "Interested"), ("replies_referral", "Referral"),
                  ("replies_question", "Question"), ("replies_not_interested", "Not int."),
                  ("replies_unsubscribe", "Unsub. reply"), ("replies_out_of_office", "OOO"),
                  ("replies_auto_reply", "Auto"), ("replies_other", "Other"), ("replies_needs_review", "Review"),
                  ("positive_reply_rate", "Positive %"), ("meetings", "Meetings"), ("unsubscribes", "Unsubs"))
TABLES = (("by-campaign", "campaigns", "Campaigns", (("campaign_name", "Campaign"),)),
          ("by-step", "steps", "Steps and variants", (("campaign", "Campaign"), ("step", "Step"),
                                                      ("variant", "Variant"))),
          ("by-domain", "domains", "Domains", (("domain", "Domain"),)),
          ("by-inbox", "inboxes", "Inboxes", (("inbox", "Inbox"),)),
          ("by-day", "days", "Days", (("day", "Day"),)))


def _tables() -> list[dict[str, Any]]:
    return [{"id": table_id, "key": key, "title": title,
             "columns": [*({"key": k, "label": label, "numeric": k == "step"} for k, label in keys),
                         *({"key": k, "label": label, "numeric": True} for k, label in FIGURE_COLUMNS)]}
            for table_id, key, title, keys in TABLES]


def _errors(exc: ValidationError) -> dict[str, list[str]]:
    detail = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
    return {field: [str(message) for message in messages] for field, messages in detail.items()}


@organization_page
def analytics_page(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    context: dict[str, Any] = {"organization": organization, "errors": {}}
    if organization is None:
        return render(request, "analytics/analytics.html", context)
    context["campaigns"] = list(Campaign.objects.filter(organization=organization).order_by("name")
                                .values("slug", "name"))
    context["clients"] = list(DomainPool.objects.filter(organization=organization).order_by("name")
                              .values("slug", "name"))
    try:
        filters = filters_from(request.GET.dict(), organization)
    except ValidationError as exc:
        context["errors"] = _errors(exc)
        context["query"] = request.GET.dict()
        return render(request, "analytics/analytics.html", context, status=400)
    context["query"] = filters.query_string()
    context["figures"] = figures(organization, filters)
    context["export_url"] = f"{reverse('analytics-export')}?{urlencode(context['query'])}"
    context["totals_shown"] = TOTALS_SHOWN
    context["tables"] = _tables()
    return render(request, "analytics/analytics.html", context)


@organization_page
def analytics_export(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    if organization is None:
        return HttpResponse("Your account belongs to no organization.\n", status=403, content_type="text/plain")
    try:
        filters = filters_from(request.GET.dict(), organization)
    except ValidationError as exc:
        lines = [f"{field}: {' '.join(messages)}" for field, messages in _errors(exc).items()]
        return HttpResponse("\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8")

    # Rollup rows, not messages: a year of a large organization is a few megabytes, written in one response
    # (a streamed one would be read whole by the ASGI handler anyway, from a sync iterator).
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(export_rows(organization, filters))
    name = f"rex-analytics-{filters.start.isoformat()}-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
