"""The figures the page, the CSV export and ``GET /api/analytics/`` show, read from ``DailyStat`` rows only.

A fixed number of aggregate queries whatever the volume (the rows are already per day, and each breakdown is one
``GROUP BY``): the page's query count does not grow with the data. Rates are taken against delivered messages
(sent less bounced), never against sent; open rates are not a figure here at all (mail privacy proxies open
every message, so an "open" says nothing about a person).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet, Sum
from django.db.models.functions import Coalesce

from analytics.models import BOUNCE_CLASSES, COUNTERS, POSITIVE_CATEGORIES, REPLY_CATEGORIES, DailyStat
from tenants.models import Organization

# Auto-responders answer every message; a "reply" here is something a person wrote.
MACHINE_REPLIES = ("out_of_office", "auto_reply")
PERSON_REPLIES = tuple(c for c in REPLY_CATEGORIES if c not in MACHINE_REPLIES)
# The derived figures every row carries after its counters.
DERIVED = ("bounced", "delivered", "replies", "positive_replies", "bounce_rate", "complaint_rate", "reply_rate",
           "positive_reply_rate")


@dataclass(frozen=True)
class Filters:
    start: date
    end: date  # inclusive
    campaign: Any = None  # a campaigns.Campaign of the organization
    client: Any = None    # a domains.DomainPool of the organization (one per client)

    def query_string(self) -> dict[str, str]:
        """The filters as the page, the export and the API spell them in a URL."""
        params = {"start": self.start.isoformat(), "end": self.end.isoformat()}
        if self.campaign is not None:
            params["campaign"] = self.campaign.slug
        if self.client is not None:
            params["client"] = self.client.slug
        return params


def stats_of(organization: Organization, filters: Filters) -> QuerySet[DailyStat]:
    rows = DailyStat.objects.filter(organization=organization, day__gte=filters.start, day__lte=filters.end)
    if filters.campaign is not None:
        rows = rows.filter(campaign=filters.campaign)
    if filters.client is not None:
        rows = rows.filter(domain__pool=filters.client)
    return rows


def _rate(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def with_rates(counts: dict[str, Any]) -> dict[str, Any]:
    """``counts`` (every counter of ``COUNTERS``) with the derived figures added."""
    bounced = sum(counts[f"bounced_{klass}"] for klass in BOUNCE_CLASSES)
    # A bounce learnt today of a message sent yesterday would make a day's delivered negative: never below zero.
    delivered = max(counts["sent"] - bounced, 0)
    replies = sum(counts[f"replies_{category}"] for category in PERSON_REPLIES)
    positive = sum(counts[f"replies_{category}"] for category in POSITIVE_CATEGORIES)
    return {**counts, "bounced": bounced, "delivered": delivered, "replies": replies, "positive_replies": positive,
            "bounce_rate": _rate(bounced, counts["sent"]), "complaint_rate": _rate(counts["complaints"], delivered),
            "reply_rate": _rate(replies, delivered), "positive_reply_rate": _rate(positive, delivered)}


SUMS = {name: Coalesce(Sum(name), 0) for name in COUNTERS}


def _grouped(rows: QuerySet[DailyStat], *by: str) -> list[dict[str, Any]]:
    return [with_rates(row) for row in rows.values(*by).annotate(**SUMS).order_by(*by)]


# The dimensions every breakdown but the days' is cut from: one GROUP BY over the range returns at most one row per
# (campaign, step, variant, inbox) — a few thousand for a large fleet — and Python sums them per breakdown. Four
# GROUP BYs of their own would read the range's rows four more times, which is what the page's time is made of.
DIMENSIONS = ("campaign__slug", "campaign__name", "step_index", "variant_label", "domain__name", "inbox__address")


def _nulls_last(key: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    return tuple((value is None, "" if value is None else value) for value in key)


def _breakdown(rows: list[dict[str, Any]], *by: str) -> list[tuple[tuple[Any, ...], dict[str, Any]]]:
    """``rows`` summed per value of the ``by`` fields, in their order (empty ones last), each with its rates."""
    sums: dict[tuple[Any, ...], dict[str, int]] = {}
    for row in rows:
        into = sums.setdefault(tuple(row[name] for name in by), dict.fromkeys(COUNTERS, 0))
        for name in COUNTERS:
            into[name] += row[name]
    return [(key, with_rates(counts)) for key, counts in sorted(sums.items(), key=lambda item: _nulls_last(item[0]))]


def figures(organization: Organization, filters: Filters) -> dict[str, Any]:
    """Everything the page draws: totals, the days, the funnel and the breakdowns (two queries)."""
    rows = stats_of(organization, filters)
    days = _grouped(rows, "day")
    totals = with_rates({name: sum(day[name] for day in days) for name in COUNTERS})
    cuts = list(rows.values(*DIMENSIONS).annotate(**SUMS).order_by())
    campaigns = [{"campaign": slug, "campaign_name": name, **counts}
                 for (slug, name), counts in _breakdown(cuts, "campaign__slug", "campaign__name")]
    steps = [{"campaign": slug, "step": step + 1, "variant": variant, **counts}
             for (slug, step, variant), counts in _breakdown([row for row in cuts if row["step_index"] is not None],
                                                             "campaign__slug", "step_index", "variant_label")]
    domains = [{"domain": name, **counts} for (name,), counts in _breakdown(cuts, "domain__name")]
    inboxes = [{"inbox": address, **counts} for (address,), counts in _breakdown(cuts, "inbox__address")]
    return {
        "filters": filters.query_string(),
        "totals": totals,
        "funnel": [{"stage": stage, "count": totals[name]} for stage, name in (
            ("Sent", "sent"), ("Delivered", "delivered"), ("Replied", "replies"),
            ("Positive", "positive_replies"), ("Meetings", "meetings"))],
        "days": [{**day, "day": day["day"].isoformat()} for day in days],
        "campaigns": campaigns,
        "steps": steps,
        "domains": domains,
        "inboxes": inboxes,
    }


# The export's columns: the row's dimensions, its counters, then what follows from them.
CSV_DIMENSIONS = ("day", "campaign", "step", "variant", "inbox", "domain", "client")


def export_rows(organization: Organization, filters: Filters) -> Any:
    """One dict per ``DailyStat`` row under the filters, for the CSV (read in chunks)."""
    rows = (stats_of(organization, filters)
            .values("day", "step_index", "variant_label", "campaign__slug", "inbox__address", "domain__name",
                    "domain__pool__slug", *COUNTERS)
            .order_by("day", "campaign__slug", "step_index", "variant_label", "inbox__address"))
    for row in rows.iterator(chunk_size=2000):
        yield {"day": row["day"].isoformat(), "campaign": row["campaign__slug"] or "",
               "step": "" if row["step_index"] is None else row["step_index"] + 1, "variant": row["variant_label"],
               "inbox": row["inbox__address"] or "", "domain": row["domain__name"] or "",
               "client": row["domain__pool__slug"] or "",
               **{k: ("" if v is None else v) for k, v in with_rates({name: row[name] for name in COUNTERS}).items()}}
