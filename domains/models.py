"""The domain pool: secondary sending domains, their life cycle and their DNS authentication.

A ``Domain`` owns its state machine (``TRANSITIONS``, as ``DOMAIN_STATES``: the shared ``core.statemachine``
pattern). Every change is one conditional ``UPDATE`` on the state it was read in, so two processes can never both
move a domain, and every change that happens writes a ``DomainTransition`` row in the same transaction. An
illegal move raises ``IllegalDomainTransition`` naming the states that are allowed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from django.utils.text import slugify

from core.names import normalize_domain_name
from core.statemachine import IllegalTransition, StateMachine
from domains.events import broadcast_domain_change
from tenants.models import Organization


class DomainState(models.TextChoices):
    PENDING = "pending", "Pending"            # bought, nothing set up yet
    DNS_PENDING = "dns_pending", "DNS pending"  # records published, waiting for MX/SPF/DKIM/DMARC to pass
    WARMING = "warming", "Warming"            # inboxes ramping up their daily volume
    READY = "ready", "Ready"                  # warmed, free to be assigned to a campaign
    IN_USE = "in_use", "In use"               # assigned to a campaign
    RESTING = "resting", "Resting"            # paused after an incident (bounces, complaints)
    BURNED = "burned", "Burned"               # reputation lost; never sends again
    RETIRED = "retired", "Retired"            # taken out of the pool by ops or a cancelled purchase


S = DomainState
# The only moves a domain may make. Everything else is refused with the list of what is allowed from there.
TRANSITIONS: dict[str, frozenset[str]] = {
    S.PENDING: frozenset({S.DNS_PENDING, S.RETIRED}),
    S.DNS_PENDING: frozenset({S.WARMING, S.RETIRED}),
    S.WARMING: frozenset({S.READY, S.RESTING, S.BURNED, S.RETIRED}),
    S.READY: frozenset({S.IN_USE, S.WARMING, S.RESTING, S.BURNED, S.RETIRED}),
    S.IN_USE: frozenset({S.READY, S.RESTING, S.BURNED, S.RETIRED}),
    S.RESTING: frozenset({S.WARMING, S.BURNED, S.RETIRED}),
    S.BURNED: frozenset({S.RETIRED}),
    S.RETIRED: frozenset(),
}
# Shown under a "DNS" heading (page, admin), so "OK" reads "DNS OK".
DNS_STATUS_LABELS = {"pass": "OK", "fail": "failing", "not_checked": "not checked"}
# States in which a domain's inboxes may send (warmup sends while warming, campaign sends when in use).
SENDING_STATES = (S.WARMING, S.READY, S.IN_USE)


class IllegalDomainTransition(IllegalTransition):
    def __init__(self, domain: Any, current: str, target: str, allowed: Any = None, *, message: str = "") -> None:
        allowed = TRANSITIONS.get(current, frozenset()) if allowed is None else allowed
        super().__init__(f"domain {domain}", current, target, allowed, message=message)
        self.domain = str(domain)


class DnsNotPassed(IllegalDomainTransition):
    def __init__(self, domain: str) -> None:
        super().__init__(domain, S.DNS_PENDING, S.WARMING,
                         message=f"domain {domain} cannot leave dns_pending: its MX, SPF, DKIM and DMARC records "
                                 "have not all passed the latest DNS check")


# The table as the shared pattern (core.statemachine): the same checks and messages as every other machine.
DOMAIN_STATES = StateMachine("state", TRANSITIONS, error=IllegalDomainTransition)


class DomainPool(models.Model):
    """An organization's pool of sending domains (one per client the organization sends for)."""

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domain_pools")
    name = models.CharField(max_length=100)
    slug = models.SlugField(max_length=100)
    # How many of the pool's domains may be in use by campaigns at once (the organization's quota).
    quota = models.PositiveIntegerField(default=settings.REX_DOMAIN_POOL_QUOTA)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "domain_pool"
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["organization", "slug"], name="unique_domain_pool_slug")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.slug = self.slug or slugify(self.name)
        super().save(*args, **kwargs)

    @classmethod
    def for_client(cls, organization: Organization, client: str) -> DomainPool:
        """The pool for ``client`` (by slug), created on first use."""
        pool, _ = cls.objects.get_or_create(organization=organization, slug=slugify(client)[:100],
                                            defaults={"name": client})
        return pool


class Domain(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="domains")
    pool = models.ForeignKey(DomainPool, on_delete=models.PROTECT, related_name="domains")
    name = models.CharField(max_length=253, unique=True)
    state = models.CharField(max_length=16, choices=DomainState.choices, default=DomainState.PENDING, db_index=True)
    state_changed_at = models.DateTimeField(default=timezone.now)
    # Sends per day across all the domain's inboxes, whatever their own caps add up to.
    daily_cap = models.PositiveIntegerField(default=settings.REX_DOMAIN_DAILY_CAP)
    dkim_selector = models.CharField(max_length=63, default=settings.REX_DKIM_SELECTOR)
    # The DKIM signing key (PEM) as a Fernet token (core.crypto); its public half is the selector's record.
    dkim_private_key_encrypted = models.TextField(blank=True, editable=False)
    # The latest DNS check (its details are in DnsCheck); a domain leaves dns_pending only when it passed.
    dns_ok = models.BooleanField(default=False)
    dns_checked_at = models.DateTimeField(null=True, blank=True)
    campaign = models.ForeignKey("campaigns.Campaign", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="domains")
    assigned_at = models.DateTimeField(null=True, blank=True)
    # Pauses of this domain (resting) so far; past REX_DOMAIN_BURN_AFTER_INCIDENTS it is burned.
    incidents = models.PositiveIntegerField(default=0)
    rest_until = models.DateTimeField(null=True, blank=True)
    purchase_reference = models.CharField(max_length=64, blank=True,
                                          help_text="The billing purchase that brought this domain in.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["organization", "state"])]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs) -> None:
        self.name = normalize_domain_name(self.name)
        super().save(*args, **kwargs)

    # --- the state machine -----------------------------------------------------------------------------------------

    @staticmethod
    def check_transition(name: str, current: str, target: str) -> None:
        DOMAIN_STATES.check(name, current, target)

    def transition(self, target: str, *, reason: str, actor: str = "system", **updates: Any) -> None:
        """Move this domain to ``target`` if it is still in the state it was read in; audited.

        Raises ``IllegalDomainTransition`` for a move the table forbids, or when another process moved the
        domain first (the message then names the state it is really in).
        """
        self.check_transition(self.name, self.state, target)
        if self.state == S.DNS_PENDING and target == S.WARMING and not self.dns_ok:
            raise DnsNotPassed(self.name)
        now = timezone.now()
        fields = {"state": target, "state_changed_at": now, **updates}
        with transaction.atomic():
            moved = Domain.objects.filter(pk=self.pk, state=self.state).update(**fields)
            if not moved:
                current = Domain.objects.filter(pk=self.pk).values_list("state", flat=True).first() or "deleted"
                raise IllegalDomainTransition(self.name, current, target)
            DomainTransition.objects.create(domain=self, from_state=self.state, to_state=target, reason=reason,
                                            actor=actor, at=now)
            broadcast_domain_change([self.pk])  # to the Domains page, once committed
        for key, value in fields.items():
            setattr(self, key, value)

    @classmethod
    def bulk_transition(cls, ids: Iterable[int], source: str, target: str, *, reason: str,
                        actor: str = "system", **updates: Any) -> list[int]:
        """Move every domain of ``ids`` still in ``source`` to ``target``: one UPDATE … RETURNING, one INSERT.

        Returns the ids that moved. Used by the warmup engine, whose tick must cost the same number of queries
        whatever the size of the pool.
        """
        cls.check_transition("(bulk)", source, target)
        ids = list(ids)
        if not ids:
            return []
        now = timezone.now()
        with transaction.atomic():
            moved = list(cls.objects.filter(pk__in=ids, state=source).select_for_update()
                         .values_list("pk", flat=True))
            if moved:
                cls.objects.filter(pk__in=moved).update(state=target, state_changed_at=now, **updates)
                DomainTransition.objects.bulk_create(
                    DomainTransition(domain_id=pk, from_state=source, to_state=target, reason=reason, actor=actor,
                                     at=now) for pk in moved)
                broadcast_domain_change(moved)  # one message for the lot, once committed
        return moved

    @property
    def may_send(self) -> bool:
        return self.state in SENDING_STATES

    # --- DNS: one answer for the page, the admin and the API ---------------------------------------------------------

    @property
    def dns_status(self) -> str:
        """"pass", "fail" or "not_checked": the one reading of ``dns_ok`` every view shows.

        ``dns_ok`` is the truth (it is what lets a domain leave dns_pending); a domain may carry it without a
        check time (set by provisioning or the demo), and it still passed.
        """
        if self.dns_ok:
            return "pass"
        return "fail" if self.dns_checked_at else "not_checked"

    @property
    def dns_status_label(self) -> str:
        return DNS_STATUS_LABELS[self.dns_status]


class DomainTransition(models.Model):
    """The audit trail of a domain's life: one row per state change, written with the change."""

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=16, choices=DomainState.choices)
    to_state = models.CharField(max_length=16, choices=DomainState.choices)
    reason = models.CharField(max_length=300)
    actor = models.CharField(max_length=150, default="system", help_text="A username, an agent or 'system'.")
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.domain_id}: {self.from_state} → {self.to_state}"


class DnsCheck(models.Model):
    """One DNS authentication check of a domain: what each record type looked like and whether it passed.

    ``results`` maps "mx", "spf", "dkim" and "dmarc" to {"ok": bool, "records": [...seen...], "detail": str}.
    """

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="dns_checks")
    checked_at = models.DateTimeField(default=timezone.now, db_index=True)
    passed = models.BooleanField(default=False)
    results = models.JSONField(default=dict)
    dmarc_policy = models.CharField(max_length=16, blank=True)
    nameservers = models.JSONField(default=list, help_text="The resolvers asked.")

    class Meta:
        ordering = ["-checked_at", "-id"]

    def __str__(self) -> str:
        return f"{self.domain_id} {'pass' if self.passed else 'fail'} at {self.checked_at:%Y-%m-%d %H:%M}"


class DnsRecord(models.Model):
    """A record REX published for a domain through the local DNS provider (``domains.dns_provider``).

    The embedded stack serves these from a small DNS server on 127.0.0.1, standing in for a registrar's DNS
    API; a deployment with a real provider publishes there instead and this table stays empty.
    """

    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="dns_records")
    name = models.CharField(max_length=253, help_text="Fully qualified, e.g. _dmarc.example.com")
    rtype = models.CharField(max_length=8)
    value = models.TextField()
    ttl = models.PositiveIntegerField(default=300)
    priority = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name", "rtype", "id"]
        constraints = [models.UniqueConstraint(fields=["name", "rtype", "value"], name="unique_dns_record")]

    def __str__(self) -> str:
        return f"{self.name} {self.rtype} {self.value}"
