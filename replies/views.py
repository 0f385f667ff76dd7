"""The Inbox page of the dashboard: every reply across the organization's inboxes, newest first, with its triage.

The server renders the first page of messages and the counts per category so the page reads at once;
static/rex/inbox.js then keeps it live from the ``replies`` stream of the socket (``/ws/live/?streams=replies``),
filters through ``GET /api/replies/``, opens a thread (``GET /api/replies/<id>/``), relabels and answers.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.models import Campaign
from inboxes.models import Inbox
from replies import services
from replies.models import Category
from replies.sections import sections_for
from tenants.access import organization_page

FIRST_PAGE = 50


@organization_page
def inbox_page(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    rows: list[dict[str, Any]] = []
    counts: dict[str, Any] = {"total": 0, "categories": {}}
    inboxes: list[str] = []
    campaigns: list[dict[str, str]] = []
    if organization is not None:
        messages = services.inbound_of(organization)
        rows = [services.inbound_row(m) for m in messages[:FIRST_PAGE]]
        counts = services.category_counts(messages)
        inboxes = list(Inbox.objects.filter(organization=organization).order_by("address")
                       .values_list("address", flat=True))
        campaigns = [{"slug": c.slug, "name": c.name}
                     for c in Campaign.objects.filter(organization=organization).order_by("name")]
    categories = [{"value": value, "label": str(label)} for value, label in Category.choices]
    categories.append({"value": services.UNTRIAGED, "label": "Untriaged"})
    return render(request, "replies/inbox.html", {
        "organization": organization,
        "rows": rows,
        "counts": counts,
        "categories": [{**c, "count": counts["categories"].get(c["value"], 0)} for c in categories],
        "inboxes": inboxes,
        "campaigns": campaigns,
        # What apps above replies show here (meetings: the drafts awaiting approval), see replies.sections.
        "sections": sections_for(organization) if organization is not None else [],
        "initial": {
            "replies": rows,
            "counts": counts,
            "categories": categories,
            "page_size": FIRST_PAGE,
            "has_more": bool(organization) and counts["total"] > len(rows),
        },
    })
