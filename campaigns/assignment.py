"""Handing warmed domains to campaigns and taking them back.

``assign_domains`` is all or nothing: either every domain asked for moves ready → in_use in one transaction,
or none does and ``NothingAvailable`` says why in words a user can act on.

Which domains are handed out (the spreading rule, also in docs/domains-api.md):

1. only ready domains with at least one active or warming inbox (a domain nobody can send from is no use to a
   campaign);
2. the most sending capacity first: today's limit of the domain, i.e. the smaller of its own daily cap and the
   sum of its sending inboxes' limits (a warmed inbox counts its cap, a warming one its warmup volume);
3. then the least recently assigned (never-assigned domains first), so load rotates across the pool instead of
   the same few domains doing every campaign;
4. then by name, so the choice is deterministic.

Quota: a pool's ``quota`` is how many of its domains may be in use at once. Without a pool, the campaign's client
pool (``Campaign.pool``, set by its first assignment from one pool) is taken; a campaign without one draws from
all the organization's pools in the order above, each pool contributing at most its remaining quota. A campaign
is never given domains of another pool than its client's (``OtherClientsPool``).

Concurrency: the pools concerned are locked first (``SELECT … FOR UPDATE``, in id order so two assigners never
deadlock), which serializes assignments per pool and makes the in-use count the quota check reads exact; the
candidate domains are then locked with ``skip_locked`` so a domain another process is moving (the warmup
engine resting it, say) is passed over rather than waited for. On SQLite both locks are no-ops and the
IMMEDIATE transaction serializes writers instead; either way ``Domain.bulk_transition``'s conditional update is
what finally guarantees a domain is handed out once.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Case, Count, Exists, F, IntegerField, OuterRef, QuerySet, Subquery, Sum, When
from django.db.models.functions import Coalesce, Least
from django.utils import timezone

from campaigns.models import Campaign
from core.names import normalize_domain_name
from domains.models import Domain, DomainPool, DomainState
from inboxes.models import Inbox
from inboxes.overview import SENDING_INBOX_STATUSES
from tenants.models import Organization

MAX_ASSIGN = 100


class NothingAvailable(Exception):
    """Fewer domains can be assigned than were asked for (not enough ready, or the pool's quota); none moved."""

    def __init__(self, reason: str, *, available: int) -> None:
        super().__init__(reason)
        self.reason = reason
        self.available = available


class OtherClientsPool(ValueError):
    """A campaign that sends for one client asked for another client's pool; nothing moved."""


class UnknownDomains(ValueError):
    def __init__(self, names: Sequence[str]) -> None:
        super().__init__(f"unknown domain{'s' if len(names) > 1 else ''}: {', '.join(names)}")
        self.names = list(names)


class NotAssignedToCampaign(ValueError):
    def __init__(self, campaign: Campaign, problems: dict[str, str]) -> None:
        details = "; ".join(f"{name} {why}" for name, why in problems.items())
        super().__init__(f"not assigned to campaign {campaign.slug}: {details}")
        self.names = list(problems)


def _sending_inboxes() -> QuerySet[Inbox]:
    return Inbox.objects.filter(domain=OuterRef("pk"), status__in=SENDING_INBOX_STATUSES)


def assignable_domains(organization: Organization, pools: Sequence[DomainPool]) -> QuerySet[Domain]:
    """Ready domains of ``pools`` that have a sending inbox, in the order the spreading rule hands them out."""
    # Mirrors Inbox.current_limit() in SQL: a warmed inbox sends its cap, a warming one its warmup volume.
    inbox_limit = Case(When(status=Inbox.Status.ACTIVE, then=F("daily_cap")),
                       default=Least(F("warmup_limit"), F("daily_cap")), output_field=IntegerField())
    inbox_capacity = Subquery(
        _sending_inboxes().order_by().values("domain").annotate(total=Sum(inbox_limit)).values("total")[:1],
        output_field=IntegerField(),
    )
    return (
        Domain.objects.filter(organization=organization, pool__in=[p.pk for p in pools], state=DomainState.READY)
        .filter(Exists(_sending_inboxes()))
        .annotate(capacity=Least(F("daily_cap"), Coalesce(inbox_capacity, 0), output_field=IntegerField()))
        .order_by(F("capacity").desc(), F("assigned_at").asc(nulls_first=True), "name")
    )


@dataclass
class _PoolRoom:
    pool: DomainPool
    in_use: int
    candidates: int  # ready domains with a sending inbox (that no other process holds)
    idle: int = 0  # ready domains without a sending inbox

    @property
    def room(self) -> int:
        return max(self.pool.quota - self.in_use, 0)

    @property
    def available(self) -> int:
        return min(self.candidates, self.room)


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _shortage_reason(rooms: list[_PoolRoom], count: int, *, one_pool: bool) -> str:
    if one_pool:
        r = rooms[0]
        slug = r.pool.slug
        if r.room < r.candidates or r.room == 0:  # the quota, not the supply, is what stops it
            if r.room == 0:
                return f"quota of {_plural(r.pool.quota, 'domain')} in use reached for pool {slug} ({r.in_use} in use)"
            return (f"quota of {_plural(r.pool.quota, 'domain')} in use for pool {slug} leaves room for {r.room} more "
                    f"({r.in_use} in use), {count} asked")
        head = (f"only {_plural(r.candidates, 'ready domain')} in pool {slug}, {count} asked" if r.candidates
                else f"no ready domain in pool {slug}, {count} asked")
        if r.idle:
            head += f" ({r.idle} more ready but without an active or warming inbox)"
        return head
    parts = []
    for r in rooms:
        part = f"{r.pool.slug}: {r.candidates} ready"
        if r.idle:
            part += f" (+{r.idle} without an active or warming inbox)"
        if r.room < r.candidates:
            part += (f", quota of {r.pool.quota} reached ({r.in_use} in use)" if r.room == 0
                     else f", quota of {r.pool.quota} leaves room for {r.room} ({r.in_use} in use)")
        parts.append(part)
    total = sum(r.available for r in rooms)
    head = f"only {_plural(total, 'domain')} available" if total else "no domain available"
    return f"{head} across pools {', '.join(r.pool.slug for r in rooms)}, {count} asked — " + "; ".join(parts)


def assign_domains(organization: Organization, *, campaign: Campaign, count: int, pool: DomainPool | None = None,
                   actor: str) -> list[Domain]:
    """Move ``count`` ready domains (of ``pool``, or of any pool) to in_use for ``campaign``; all or nothing.

    Raises ``NothingAvailable`` (nothing moved) when fewer can be taken, ``ValueError`` for a count out of
    range, a finished campaign, or a campaign or pool of another organization.
    """
    if not 1 <= count <= MAX_ASSIGN:
        raise ValueError(f"count must be between 1 and {MAX_ASSIGN}")
    if campaign.organization_id != organization.pk:
        raise ValueError(f"campaign {campaign.slug} belongs to another organization")
    if campaign.status == Campaign.Status.FINISHED:
        raise ValueError(f"campaign {campaign.slug} is finished; it cannot take domains")
    if pool is not None and pool.organization_id != organization.pk:
        raise ValueError(f"pool {pool.slug} belongs to another organization")

    with transaction.atomic():
        # The campaign row first: two first assignments of one campaign from two pools wait for each other, and
        # the second sees whose campaign the first made it.
        locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
        client_pool_id = locked.client_pool_id()
        if client_pool_id is not None:
            # A campaign sends for one client: its domains come from that client's pool and no other's.
            client_pool = DomainPool.objects.get(pk=client_pool_id)
            if pool is not None and pool.pk != client_pool_id:
                raise OtherClientsPool(f"campaign {campaign.slug} sends for {client_pool.slug}; "
                                       f"it cannot take domains of pool {pool.slug}")
            pool = client_pool
        pools_query = DomainPool.objects.filter(organization=organization)
        if pool is not None:
            pools_query = pools_query.filter(pk=pool.pk)
        pools = list(pools_query.order_by("pk").select_for_update())
        if not pools:
            raise NothingAvailable(f"organization {organization.slug} has no domain pool", available=0)
        in_use = Counter(dict(Domain.objects.filter(pool__in=pools, state=DomainState.IN_USE).order_by()
                              .values("pool").annotate(n=Count("pk")).values_list("pool", "n")))
        # The join-free query keeps FOR UPDATE on the domain rows alone; skip_locked passes over domains
        # another process is moving right now instead of queueing behind it.
        candidates = list(assignable_domains(organization, pools).select_for_update(skip_locked=True))
        per_pool = Counter(d.pool_id for d in candidates)
        rooms = {p.pk: _PoolRoom(pool=p, in_use=in_use[p.pk], candidates=per_pool[p.pk]) for p in pools}

        if sum(r.available for r in rooms.values()) < count:
            idle = (Domain.objects.filter(pool__in=pools, state=DomainState.READY).exclude(Exists(_sending_inboxes()))
                    .order_by().values("pool").annotate(n=Count("pk")).values_list("pool", "n"))
            for pool_id, n in idle:
                rooms[pool_id].idle = n
            raise NothingAvailable(_shortage_reason(list(rooms.values()), count, one_pool=len(pools) == 1),
                                   available=sum(r.available for r in rooms.values()))

        room_left = {pool_id: r.room for pool_id, r in rooms.items()}
        now = timezone.now()
        assigned: list[int] = []
        queue = iter(candidates)
        while len(assigned) < count:
            batch = []
            for domain in queue:
                if room_left[domain.pool_id] > 0:
                    batch.append(domain)
                    room_left[domain.pool_id] -= 1
                    if len(assigned) + len(batch) == count:
                        break
            if not batch:
                # Only reachable when a domain changed state under us despite the locks (SQLite without them):
                # the transaction rolls back, so what was moved so far is given back.
                raise NothingAvailable(f"only {_plural(len(assigned), 'domain')} could be taken, {count} asked: "
                                       "the others changed state meanwhile", available=len(assigned))
            moved = set(Domain.bulk_transition(
                [d.pk for d in batch], DomainState.READY, DomainState.IN_USE,
                reason=f"assigned to campaign {campaign.slug}", actor=actor, campaign=campaign, assigned_at=now,
            ))
            for domain in batch:
                if domain.pk in moved:
                    assigned.append(domain.pk)
                else:
                    room_left[domain.pool_id] += 1
        pools_used = {d.pool_id for d in candidates if d.pk in set(assigned)}
        if client_pool_id is None and len(pools_used) == 1:
            # The first assignment from one pool says whose campaign this is.
            campaign.pool_id = pools_used.pop()
            Campaign.objects.filter(pk=campaign.pk).update(pool_id=campaign.pool_id)
    order = {pk: i for i, pk in enumerate(assigned)}
    return sorted(Domain.objects.filter(pk__in=assigned).select_related("pool", "campaign"),
                  key=lambda d: order[d.pk])


def assign_to_campaign(organization: Organization, *, campaign: str, count: int, pool: DomainPool | None = None,
                       actor: str) -> tuple[Campaign, list[Domain]]:
    """Assign ``count`` ready domains to the campaign called ``campaign`` (by name or slug; a new name creates it
    as a draft): the one service behind the assign API and the assign-domains agent.

    One transaction: a campaign named here for the first time exists only if it got its domains. Raises what
    ``assign_domains`` raises (``NothingAvailable``, ``ValueError``); nothing moves then.
    """
    with transaction.atomic():
        named = Campaign.named(organization, campaign)
        return named, assign_domains(organization, campaign=named, count=count, pool=pool, actor=actor)


def _normalized(names: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(normalize_domain_name(name) for name in names))


def release_domains(organization: Organization, *, campaign: Campaign, names: Sequence[str] | None = None,
                    actor: str) -> list[Domain]:
    """Give ``campaign``'s domains (the ones named, or all of them) back to the pool: in_use → ready.

    ``assigned_at`` stays: it is when the domain was last assigned, which the spreading rule rotates on.
    Raises ``UnknownDomains`` for names the organization has no domain of and ``NotAssignedToCampaign`` for
    domains not in use by this campaign; in either case nothing moves.
    """
    if campaign.organization_id != organization.pk:
        raise ValueError(f"campaign {campaign.slug} belongs to another organization")
    with transaction.atomic():
        if names is None:
            ids = list(Domain.objects.filter(organization=organization, campaign=campaign, state=DomainState.IN_USE)
                       .order_by("name").select_for_update().values_list("pk", flat=True))
        else:
            wanted = _normalized(names)
            found = {d.name: d for d in Domain.objects.filter(organization=organization, name__in=wanted)
                     .select_related("campaign").select_for_update(of=("self",))}
            unknown = [name for name in wanted if name not in found]
            if unknown:
                raise UnknownDomains(unknown)
            problems = {}
            for name in wanted:
                domain = found[name]
                if domain.state == DomainState.IN_USE and domain.campaign_id == campaign.pk:
                    continue
                if domain.state == DomainState.IN_USE and domain.campaign_id:
                    problems[name] = f"is in use by campaign {domain.campaign.slug}"
                else:
                    problems[name] = f"is {domain.get_state_display().lower()}"
            if problems:
                raise NotAssignedToCampaign(campaign, problems)
            ids = [found[name].pk for name in wanted]
        moved = Domain.bulk_transition(ids, DomainState.IN_USE, DomainState.READY,
                                       reason=f"released from campaign {campaign.slug}", actor=actor, campaign=None)
        if len(moved) != len(ids):
            # Locked above, so only a writer that ignores locks (none on SQLite) gets here; nothing moves.
            lost = Domain.objects.filter(pk__in=set(ids) - set(moved)).values_list("name", "state")
            raise NotAssignedToCampaign(campaign, {name: f"is {state} now" for name, state in lost})
    order = {pk: i for i, pk in enumerate(ids)}
    return sorted(Domain.objects.filter(pk__in=moved).select_related("pool", "campaign"), key=lambda d: order[d.pk])
