"""Questions about the outreach the rules answer from the data, at once and without the LLM (issue 11, item 4).

- "how many emails did we send today" / "this week", optionally "per campaign|inbox|domain|client" (a table) or
  "for <campaign|inbox|domain|client>" (a number);
- "show bounce rate for acme": bounce, complaint, reply and positive-reply rates of a client, campaign, inbox or
  domain (or of everything), "per …" for a table, "show rates for acme" for the four at once;
- "capacity left today" (optionally "per domain", or "for <target>").

This module sits in ``replies``, the top business app, because only here do all the figures meet: sends and
bounces (inboxes), names (domains, campaigns) and triaged replies (replies). Every figure is an aggregate query
over indexed columns (``OutboundMessage(organization, status, sent_at)``, ``BounceRecord(organization, at)``,
``InboundMessage(organization, -received_at)``), a fixed number of queries whatever the data. The definitions
(what "delivered" and "positive" mean) are in docs/decision-engine.md#answers.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Coalesce, NullIf
from django.utils import timezone
from django.utils.text import slugify

from agents.intents import THE, AnswerRefused, Intent, Question, Rule, slot, unknown_name
from campaigns.models import Campaign
from core.answers import number_answer, percent, table_answer
from core.names import normalize_domain_name
from core.suggest import closest_names
from domains.models import SENDING_STATES, Domain, DomainPool
from domains.overview import today_for
from inboxes.models import BounceRecord, Inbox, OutboundMessage
from replies.models import HUMAN_CATEGORIES, Category, InboundMessage

KINDS = ("client", "campaign", "inbox", "domain")
# A bounce that stops delivery: the address is dead (hard) or the receiver refused the sender (infrastructure).
# A soft bounce is retried by the receiving side and is not counted against delivery.
UNDELIVERED_CLASSES = (BounceRecord.Class.HARD, BounceRecord.Class.INFRASTRUCTURE)
# What a sales team counts as a positive reply: the person wants to talk.
POSITIVE_CATEGORIES = (Category.INTERESTED,)
RATE_WINDOW_DAYS = 30
MAX_ROWS = 50
NAME_SUGGESTION_POOL = 5000

TARGET = r"""(?:(?:client|customer|pool|campaign|inbox|mailbox|domain) )?(?:"[^"]{1,254}"|'[^']{1,254}'|[^\s'"]{1,254})"""
WINDOW = r"today|this week|this month|last 7 days|last 30 days|in the last 30 days|in the last 7 days"
PER = r"campaign|inbox|domain|client"


# --- what a question is about ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Window:
    label: str
    start: datetime
    end: datetime


def window_of(words: str | None, today: date, default: str) -> Window:
    """The period a question names, in UTC days: today, this week (from Monday), this month, the last 7 or 30 days."""
    words = re.sub(r"^in the ", "", (words or default).lower())
    midnight = datetime.combine(today, datetime.min.time(), tzinfo=UTC)
    end = midnight + timedelta(days=1)
    starts = {"today": midnight, "this week": midnight - timedelta(days=today.weekday()),
              "this month": midnight.replace(day=1), "last 7 days": end - timedelta(days=7),
              "last 30 days": end - timedelta(days=30)}
    return Window(words, starts[words], end)


@dataclass(frozen=True)
class Target:
    kind: str  # one of KINDS
    label: str  # the name as stored (a pool's slug, a campaign's slug, an address, a domain name)
    pk: int

    def __str__(self) -> str:
        return f"{self.kind} {self.label}"


def _candidates(organization: Any, kind: str) -> QuerySet:
    return {
        "client": DomainPool.objects.filter(organization=organization).values_list("pk", "slug"),
        "campaign": Campaign.objects.filter(organization=organization).values_list("pk", "slug"),
        "inbox": Inbox.objects.filter(organization=organization).values_list("pk", "address"),
        "domain": Domain.objects.filter(organization=organization).values_list("pk", "name"),
    }[kind]


def _exact(organization: Any, kind: str, typed: str) -> Target | None:
    """The one ``kind`` the organization has by that name: a slug or a name (any case), an address, a domain name."""
    rows = _candidates(organization, kind)
    if kind in ("client", "campaign"):
        rows = rows.filter(Q(slug=slugify(typed)) | Q(name__iexact=typed))
    elif kind == "inbox":
        rows = rows.filter(address=typed.strip().lower())
    else:
        rows = rows.filter(name=normalize_domain_name(typed))
    row = rows.first()
    return Target(kind, row[1], row[0]) if row else None


def resolve_target(question: Question, raw: str) -> Target:
    """The client, campaign, inbox or domain ``raw`` names ("acme", "campaign spring-launch", "inbox a@b.example").

    A bare name is looked up among all four; one that names several is refused with the spellings that say which,
    an unknown one with the closest names ("did you mean …?", the whole command repeated with the name fixed).
    """
    words = raw.split(" ", 1)
    kind = {"customer": "client", "pool": "client", "mailbox": "inbox"}.get(words[0].lower(), words[0].lower())
    if kind in KINDS and len(words) == 2:
        typed, kinds = _unquote(words[1]), (kind,)
    else:
        typed, kinds = _unquote(raw), KINDS
    found = [target for kind in kinds if (target := _exact(question.organization, kind, typed)) is not None]
    if len(found) == 1:
        return found[0]
    if found:
        options = " or ".join(f"'{question.text.replace(raw, str(target))}'" for target in found)
        raise AnswerRefused(f"{typed!r} names more than one thing in your organization: "
                            f"{', '.join(str(t) for t in found)}; did you mean {options}?")
    names = {name: kind for kind in kinds
             for _pk, name in _candidates(question.organization, kind)[:NAME_SUGGESTION_POOL]}
    what = " or ".join(kinds) if len(kinds) < len(KINDS) else "client, campaign, inbox or domain"
    # With its kind, so the suggestion cannot be ambiguous in turn.
    raise unknown_name(question, what, typed, closest_names(typed, names), replace=raw, kind_of=names)


def _unquote(value: str) -> str:
    return value[1:-1].strip() if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'" else value


# Per model, the column that places a row with each kind of target, and the one that names it in a table.
SCOPE = {
    "sent": {"client": "inbox__domain__pool", "campaign": "campaign", "inbox": "inbox", "domain": "inbox__domain"},
    "bounce": {"client": "domain__pool", "campaign": "message__campaign", "inbox": "inbox", "domain": "domain"},
    "inbound": {"client": "inbox__domain__pool", "campaign": "outbound__campaign", "inbox": "inbox",
                "domain": "inbox__domain"},
}
LABEL = {"client": "slug", "campaign": "slug", "inbox": "address", "domain": "name"}


def _label_path(model: str, kind: str) -> str:
    return f"{SCOPE[model][kind]}__{LABEL[kind]}"


def sent_messages(organization: Any, window: Window, target: Target | None) -> QuerySet:
    rows = OutboundMessage.objects.filter(organization=organization, status=OutboundMessage.Status.SENT,
                                          sent_at__gte=window.start, sent_at__lt=window.end)
    return rows.filter(**{SCOPE["sent"][target.kind]: target.pk}) if target else rows


def undelivered_bounces(organization: Any, window: Window, target: Target | None) -> QuerySet:
    rows = BounceRecord.objects.filter(organization=organization, klass__in=UNDELIVERED_CLASSES,
                                       at__gte=window.start, at__lt=window.end)
    return rows.filter(**{SCOPE["bounce"][target.kind]: target.pk}) if target else rows


def inbound_messages(organization: Any, window: Window, target: Target | None) -> QuerySet:
    # A person's relabelling wins over the triage's category.
    rows = (InboundMessage.objects.filter(organization=organization, received_at__gte=window.start,
                                          received_at__lt=window.end)
            .annotate(effective=Coalesce(NullIf("corrected_category", Value("")), "category")))
    return rows.filter(**{SCOPE["inbound"][target.kind]: target.pk}) if target else rows


# --- sends ----------------------------------------------------------------------------------------------------------

def sends_answer(question: Question) -> dict[str, Any]:
    params = question.params
    window = window_of(params.get("window"), question.today, "today")
    target = resolve_target(question, params["target"]) if params.get("target") else None
    sent = sent_messages(question.organization, window, target)
    scope = f" · {target}" if target else ""
    if params.get("per"):
        per = params["per"]
        path = _label_path("sent", per)
        counts = list(sent.exclude(**{f"{SCOPE['sent'][per]}__isnull": True}).values(path)
                      .annotate(n=Count("pk")).order_by("-n", path)[:MAX_ROWS + 1])
        rows = [[row[path], row["n"]] for row in counts[:MAX_ROWS]]
        more = f"the {MAX_ROWS} busiest shown" if len(counts) > MAX_ROWS else ""
        return table_answer(f"Emails sent {window.label} per {per}{scope}", [per, "sent"], rows, detail=more)
    return number_answer(f"Emails sent {window.label}{scope}", sent.count(), unit="emails",
                         detail=f"since {window.start:%Y-%m-%d %H:%M} UTC")


# --- rates ----------------------------------------------------------------------------------------------------------

RATES = ("bounce", "complaint", "reply", "positive reply")


@dataclass
class Tally:
    sent: int = 0
    bounced: int = 0
    complaints: int = 0
    replies: int = 0
    positive: int = 0

    @property
    def delivered(self) -> int:
        return max(self.sent - self.bounced, 0)

    def rate(self, name: str) -> float | None:
        if name == "bounce":
            return percent(self.bounced, self.sent)
        part = {"complaint": self.complaints, "reply": self.replies, "positive reply": self.positive}[name]
        return percent(part, self.delivered)

    def counted(self, name: str) -> str:
        if name == "bounce":
            return f"{self.bounced} of {self.sent} sent"
        part = {"complaint": self.complaints, "reply": self.replies, "positive reply": self.positive}[name]
        return f"{part} of {self.delivered} delivered"


def _reply_filters() -> dict[str, Any]:
    return {"complaints": Count("pk", filter=Q(effective=Category.COMPLAINT)),
            "replies": Count("pk", filter=Q(effective__in=sorted(HUMAN_CATEGORIES))),
            "positive": Count("pk", filter=Q(effective__in=POSITIVE_CATEGORIES))}


def tally(organization: Any, window: Window, target: Target | None) -> Tally:
    """The counts behind every rate, for one target (or the whole organization): three aggregate queries."""
    replies = inbound_messages(organization, window, target).aggregate(**_reply_filters())
    return Tally(sent=sent_messages(organization, window, target).count(),
                 bounced=undelivered_bounces(organization, window, target).count(), **replies)


def tallies_per(organization: Any, window: Window, target: Target | None, per: str) -> dict[str, Tally]:
    """The same counts per client, campaign, inbox or domain: three grouped queries."""
    found: dict[str, Tally] = {}

    def add(label: str | None, **counts: int) -> None:
        if label is None:
            return
        entry = found.setdefault(label, Tally())
        for key, value in counts.items():
            setattr(entry, key, getattr(entry, key) + value)

    path = _label_path("sent", per)
    for row in sent_messages(organization, window, target).values(path).annotate(n=Count("pk")):
        add(row[path], sent=row["n"])
    path = _label_path("bounce", per)
    for row in undelivered_bounces(organization, window, target).values(path).annotate(n=Count("pk")):
        add(row[path], bounced=row["n"])
    path = _label_path("inbound", per)
    for row in inbound_messages(organization, window, target).values(path).annotate(**_reply_filters()):
        add(row[path], complaints=row["complaints"], replies=row["replies"], positive=row["positive"])
    return found


def rate_answer(question: Question) -> dict[str, Any]:
    params = question.params
    window = window_of(params.get("window"), question.today, "last 30 days")
    target = resolve_target(question, params["target"]) if params.get("target") else None
    scope = f" · {target}" if target else ""
    names: Sequence[str] = (params["rate"],) if params.get("rate") else RATES
    if params.get("per"):
        per = params["per"]
        found = tallies_per(question.organization, window, target, per)
        order = sorted(found, key=lambda label: (-found[label].sent, label))[:MAX_ROWS]
        columns = [per, "sent", "delivered", *(f"{name} rate %" for name in names)]
        rows = [[label, found[label].sent, found[label].delivered, *(found[label].rate(name) for name in names)]
                for label in order]
        title = f"{' / '.join(n.capitalize() for n in names)} rate per {per} · {window.label}{scope}"
        return table_answer(title, columns, rows, detail=DEFINITION)
    counts = tally(question.organization, window, target)
    if len(names) == 1:
        name = names[0]
        value = counts.rate(name)
        base = "sent" if name == "bounce" else "delivered"
        detail = counts.counted(name) if value is not None else f"nothing {base} {window.label}"
        return number_answer(f"{name.capitalize()} rate · {window.label}{scope}", value, unit="%", detail=detail)
    rows = [[name, counts.rate(name), counts.counted(name)] for name in names]
    return table_answer(f"Rates · {window.label}{scope}", ["rate", "%", "counted"], rows, detail=DEFINITION)


DEFINITION = ("bounce rate of sent (hard and infrastructure bounces); complaint, reply and positive-reply rates of "
              "delivered (sent minus those bounces)")


# --- capacity -------------------------------------------------------------------------------------------------------

def capacity_answer(question: Question) -> dict[str, Any]:
    """Sends still allowed today: per domain, the smaller of its cap and its inboxes' limits, minus what it sent."""
    params = question.params
    target = resolve_target(question, params["target"]) if params.get("target") else None
    domains = Domain.objects.filter(organization=question.organization, state__in=SENDING_STATES)
    if target is not None:
        domains = domains.filter(**{"client": {"pool": target.pk}, "campaign": {"campaign": target.pk},
                                    "domain": {"pk": target.pk},
                                    "inbox": {"inboxes": target.pk}}[target.kind])
    domains = list(domains.order_by("name"))
    today = today_for(domains, timezone.now())
    left: Counter[str] = Counter()
    for domain in domains:
        day = today[domain.pk]
        if target is not None and target.kind == "inbox":
            for inbox in day.inboxes:
                if inbox["address"] == target.label:
                    left[inbox["address"]] += max(min(inbox["today_limit"], day.limit) - inbox["today_sent"], 0)
        else:
            left[domain.name] += max(day.limit - day.sent, 0)
    scope = f" · {target}" if target else ""
    if params.get("per"):
        rows = [[name, left[name]] for name in sorted(left, key=lambda n: (-left[n], n))[:MAX_ROWS]]
        return table_answer(f"Capacity left today per domain{scope}", ["domain", "emails left"], rows,
                            detail=f"{sum(left.values())} in all, over {len(domains)} sending domains")
    return number_answer(f"Capacity left today{scope}", sum(left.values()), unit="emails",
                         detail=f"over {len(domains)} sending domains")


# --- the intents ----------------------------------------------------------------------------------------------------

def _slots(slots: dict[str, str], today: date) -> dict[str, Any]:
    params = {key: value for key, value in slots.items() if value}
    if "window2" in params:
        params["window"] = params.pop("window2")
    if "rate" in params:
        params["rate"] = params["rate"].lower().replace("-", " ")
    if "per" in params:
        params["per"] = params["per"].lower()
    return params


_TARGET = rf"(?: (?:for|from|of|on|in) {THE}{slot('target', TARGET)})?"
_WINDOW = rf"(?: (?P<window>{WINDOW}))?"
_WINDOW2 = rf"(?: (?P<window2>{WINDOW}))?"
_PER = rf"(?: (?:per|by|for each) (?P<per>{PER}))?"

SENDS = Intent(
    name="sends_count",
    description="how many emails were sent today or this week, in all or per campaign, inbox, domain or client "
                "(answered at once from the data)",
    rules=(Rule("how many emails did we send[ {window}][ per {per}][ for {target}]",
                "how many emails did we send today",
                (r"(?:how many (?:emails|e-mails|mails|messages) (?:did we|have we|did rex|has rex|were) (?:send|sent)"
                 r"|(?:emails|messages) sent|sends)" + _WINDOW + _PER + _TARGET + _WINDOW2,),
                _slots),),
    vocabulary=("many", "emails", "sent", "week", "today", "per"),
    answer=sends_answer,
)
RATES_INTENT = Intent(
    name="rates",
    description="bounce, complaint, reply and positive-reply rates of a client, campaign, inbox or domain "
                "(answered at once from the data)",
    rules=(Rule("show bounce rate[ per {per}][ for {target}]", "show bounce rate for acme",
                (r"(?:(?:show|get|give)(?: me)? |what(?:'s| is| are) )?" + THE
                 + r"(?:(?P<rate>bounce|complaint|reply|positive[ -]reply) rate|rates)" + _WINDOW + _PER + _TARGET
                 + _WINDOW2,),
                _slots),),
    vocabulary=("bounce", "complaint", "reply", "positive", "rate", "rates", "show"),
    answer=rate_answer,
)
CAPACITY = Intent(
    name="capacity_left",
    description="how many emails the sending domains may still send today (answered at once from the data)",
    rules=(Rule("capacity left today[ per {per}][ for {target}]", "capacity left today",
                (r"(?:(?:show|what(?:'s| is)|how much) )?" + THE + r"(?:capacity left|remaining capacity|capacity)"
                 r"(?: today)?(?: (?:per|by) (?P<per>domain))?" + _TARGET,
                 r"how many (?:more )?(?:emails|messages) can we (?:still )?send(?: today)?"
                 r"(?: (?:per|by) (?P<per>domain))?" + _TARGET),
                _slots),),
    vocabulary=("capacity", "left", "remaining"),
    answer=capacity_answer,
)
INTENTS = (SENDS, RATES_INTENT, CAPACITY)
