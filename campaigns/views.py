"""The Campaigns page of the dashboard: campaigns with their figures, the sequence editor, the preview, CSV import.

The server renders the organization's campaigns (and the lists and sequences the page's selects offer) so the page
reads at once; static/rex/campaigns.js then drives everything through the JSON API (``/api/campaigns/``,
``/api/sequences/``, ``/api/lists/``, ``/api/contacts/``, ``/api/contacts/import``) and polls the campaigns every
10 seconds for their figures.
"""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from campaigns.models import Campaign, ContactList, Sequence
from campaigns.services import campaign_figures
from campaigns.windows import DAY_NAMES, format_days
from tenants.access import organization_page

POLL_SECONDS = 10


def campaign_row(campaign: Campaign, figures: dict[str, Any]) -> dict[str, Any]:
    """A campaign as the page draws it: the shape of ``GET /api/campaigns/<slug>/``."""
    days = [d for d in (campaign.send_days or []) if isinstance(d, int)]
    return {
        "name": campaign.name,
        "slug": campaign.slug,
        "status": campaign.status,
        "from_name": campaign.from_name,
        "sequence": campaign.sequence.slug if campaign.sequence_id else None,
        "list": campaign.contact_list.slug if campaign.contact_list_id else None,
        "send_days": days,
        "send_days_text": format_days(days) if days else "",
        "send_start": campaign.send_start.strftime("%H:%M"),
        "send_end": campaign.send_end.strftime("%H:%M"),
        "timezone": campaign.timezone,
        "min_gap_seconds": campaign.min_gap_seconds,
        "max_gap_seconds": campaign.max_gap_seconds,
        "figures": figures,
    }


@organization_page
def campaigns_page(request: HttpRequest) -> HttpResponse:
    organization = request.organization
    rows: list[dict[str, Any]] = []
    lists: list[dict[str, Any]] = []
    sequences: list[dict[str, Any]] = []
    if organization is not None:
        campaigns = list(Campaign.objects.filter(organization=organization)
                         .select_related("sequence", "contact_list").order_by("name"))
        figures = campaign_figures(c.pk for c in campaigns)
        rows = [campaign_row(c, figures[c.pk].as_dict()) for c in campaigns]
        for row in rows:
            row["figures"].pop("campaign_id", None)
        lists = [{"name": cl.name, "slug": cl.slug, "contacts": cl.n}
                 for cl in ContactList.objects.filter(organization=organization)
                 .annotate(n=Count("contacts")).order_by("name")]
        sequences = [{"name": s.name, "slug": s.slug}
                     for s in Sequence.objects.filter(organization=organization).order_by("name")]
    return render(request, "campaigns/campaigns.html", {
        "organization": organization,
        "campaigns": rows,
        "day_names": [(i, name.capitalize()) for i, name in enumerate(DAY_NAMES)],
        "zones": sorted(available_timezones() - {"localtime", "Factory", "posixrules"}),
        "initial": {
            "campaigns": rows,
            "lists": lists,
            "sequences": sequences,
            "statuses": dict(Campaign.Status.choices),
            "poll_seconds": POLL_SECONDS,
        },
    })
