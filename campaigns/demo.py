"""The demo's sending identities: a domain pool with domains in several states, their inboxes, a campaign and a list.

Campaigns' part of `manage.py rex seed` (ops.seed; registered in CampaignsConfig.ready): it is the top app, the
one that may build rows of every app below it. Safe to run again: a pool that already has domains is left alone.
The domains' DNS records are published through the DNS provider (the local one serves them from `rex up`'s own
DNS server), so "Check DNS now" in the admin passes for every domain past `pending`.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from campaigns.models import Campaign, Contact, ContactList, Sequence, SequenceStep, StepVariant
from domains.models import Domain, DomainPool, DomainState, DomainTransition
from inboxes.addresses import email_digest
from inboxes.models import Inbox, InboxDay, Suppression
from tenants.models import Organization

S = DomainState
# (domain label, state, warmup day of its inboxes); the inboxes' status follows the domain's state.
DEMO_DOMAINS = [
    ("acme-outreach", S.IN_USE, 0),
    ("acme-hello", S.IN_USE, 0),
    ("acme-team", S.READY, 0),
    ("acme-growth", S.WARMING, 12),
    ("acme-meet", S.WARMING, 4),
    ("acme-connect", S.DNS_PENDING, 0),
    ("acme-partners", S.PENDING, 0),
    ("acme-reach", S.RESTING, 0),
    ("acme-blast", S.BURNED, 0),
]
INBOX_NAMES = ["alex", "sam", "jordan"]
DEMO_CONTACTS = [
    ("olivia", "bennett", "Northwind Traders", "+447700900101"),
    ("harry", "cole", "Fabrikam", "+447700900102"),
    ("amelia", "doyle", "Contoso", "+447700900103"),
    ("jack", "ellis", "Tailspin Toys", "+447700900104"),
    ("isla", "foster", "Wingtip", "+447700900105"),
    ("george", "grant", "Litware", "+447700900106"),
    ("ava", "hughes", "Proseware", "+447700900107"),
    ("noah", "irwin", "Adventure Works", "+447700900108"),
    ("mia", "jones", "Alpine Ski House", "+447700900109"),
    ("leo", "khan", "Blue Yonder", "+447700900110"),
    ("grace", "lowe", "Coho Winery", "+447700900111"),
    ("oscar", "mills", "Datum Corp", "+447700900112"),
]
INBOX_STATUS = {
    S.PENDING: Inbox.Status.PENDING, S.DNS_PENDING: Inbox.Status.PENDING, S.WARMING: Inbox.Status.WARMING,
    S.READY: Inbox.Status.ACTIVE, S.IN_USE: Inbox.Status.ACTIVE, S.RESTING: Inbox.Status.PAUSED,
    S.BURNED: Inbox.Status.DISABLED,
}


@dataclass
class DemoIdentities:
    domains_created: int
    contacts_created: int


def seed_sending_identities(organization: Organization) -> DemoIdentities:
    from domains.dns_provider import get_provider

    pool = DomainPool.for_client(organization, organization.slug)
    campaign, _ = Campaign.objects.get_or_create(
        organization=organization, slug="spring-launch",
        defaults={"name": "Spring launch", "status": Campaign.Status.ACTIVE, "from_name": "Acme Outbound", "pool": pool,
                  "subject_template": "{first_name}, a quick idea for {company}",
                  "body_template": "Hi {first_name},\n\nWe help teams like {company} book more first meetings "
                                   "without growing headcount.\nWorth a 15-minute call next week?\n\nBest,\nAlex"})
    contacts_created = _seed_contacts(organization)
    _seed_sequence(organization)
    if pool.domains.exists():
        return DemoIdentities(0, contacts_created)

    now = timezone.now()
    tld = settings.REX_DOMAIN_TLD
    created: list[Domain] = []
    with transaction.atomic():
        for label, state, warmup_day in DEMO_DOMAINS:
            domain = Domain.objects.create(
                organization=organization, pool=pool, name=f"{label}.{tld}", state=state,
                state_changed_at=now - timedelta(days=1), dns_ok=state not in (S.PENDING, S.DNS_PENDING),
                campaign=campaign if state == S.IN_USE else None,
                assigned_at=now - timedelta(days=2) if state == S.IN_USE else None,
                incidents={S.RESTING: 1, S.BURNED: settings.REX_DOMAIN_BURN_AFTER_INCIDENTS}.get(state, 0),
                rest_until=now + timedelta(days=2) if state == S.RESTING else None,
                purchase_reference="demo")
            DomainTransition.objects.create(domain=domain, from_state=S.PENDING, to_state=state,
                                            reason="demo seed", actor="seed")
            _seed_inboxes(organization, domain, state, warmup_day)
            created.append(domain)
    provider = get_provider()
    for domain in created:
        if domain.state != S.PENDING:
            provider.publish(domain)
    return DemoIdentities(len(created), contacts_created)


def _seed_inboxes(organization: Organization, domain: Domain, state: str, warmup_day: int) -> None:
    status = INBOX_STATUS[state]
    today = timezone.now().date()
    for name in INBOX_NAMES:
        inbox = Inbox(organization=organization, domain=domain, address=f"{name}@{domain.name}",
                      display_name=f"{name.title()} at Acme", smtp_host=f"smtp.{domain.name}",
                      smtp_username=f"{name}@{domain.name}", imap_username=f"{name}@{domain.name}",
                      # No IMAP host: the demo's mailboxes do not exist, and every inbox with a host is polled
                      # each minute (replies.poll_inboxes). Set one to read a real mailbox's replies.
                      status=status)
        if status == Inbox.Status.WARMING:
            inbox.warmup_day = warmup_day
            inbox.warmup_limit = min(inbox.daily_cap, inbox.warmup_start + inbox.warmup_increment * (warmup_day - 1))
            inbox.warmup_advanced_on = today
        elif status in (Inbox.Status.ACTIVE, Inbox.Status.PAUSED):
            inbox.warmup_day = inbox.warmup_target_days
            inbox.warmup_limit = inbox.daily_cap
            inbox.warmup_advanced_on = today
        if status == Inbox.Status.PAUSED:
            inbox.paused_at = timezone.now() - timedelta(days=1)
            inbox.pause_reason = "bounce rate 4.2% over 7 days (limit 3.0%)"
            inbox.pauses = 1
        inbox.set_password(secrets.token_urlsafe(18))
        inbox.save()
        # A week of history, so the capacity and rates have something to show.
        if status != Inbox.Status.PENDING:
            daily = max(inbox.warmup_limit - 2, 3)
            InboxDay.objects.bulk_create([
                InboxDay(inbox=inbox, day=today - timedelta(days=n), sent=daily,
                         bounces=2 if status == Inbox.Status.PAUSED else 0)
                for n in range(1, 8)])


def _seed_contacts(organization: Organization) -> int:
    contact_list, _ = ContactList.objects.get_or_create(organization=organization, slug="cfo-uk",
                                                        defaults={"name": "CFOs, UK"})
    created = 0
    for first, last, company, phone in DEMO_CONTACTS:
        contact, was_created = Contact.objects.get_or_create(
            organization=organization, email=f"{first}.{last}@{company.lower().replace(' ', '-')}.example",
            defaults={"first_name": first.title(), "last_name": last.title(), "company": company, "phone": phone,
                      "source": "demo seed", "custom_fields": {"industry": "retail"} if len(company) % 2 else {}})
        contact.lists.add(contact_list)
        created += int(was_created)
    # One contact already unsubscribed, so a demo send shows the suppression at work.
    opted_out = Contact.objects.filter(organization=organization, first_name="Oscar").first()
    if opted_out is not None:
        Suppression.objects.get_or_create(organization=organization, email_hash=email_digest(opted_out.email),
                                          defaults={"email": opted_out.email, "contact": opted_out,
                                                    "reason": Suppression.Reason.UNSUBSCRIBE, "source": "demo seed"})
    return created


# The demo's follow-up sequence: "start campaign spring-launch with sequence three-touches for list cfo-uk".
DEMO_SEQUENCE = [
    ("email", 0, [("A", "{{first_name|Hi}}, a quick idea for {{company|your team}}",
                   "Hi {{first_name|there}},\n\nWe help {{industry|teams}} like {{company|yours}} book more first "
                   "meetings without growing headcount.\n{Worth|Open to} a 15-minute call next week?\n\nBest,\n"
                   "{{sender_first_name|Alex}}"),
                  ("B", "Meetings for {{company|your team}}?",
                   "Hello {{first_name|there}},\n\nTeams like {{company|yours}} use REX to fill their calendars with "
                   "qualified first meetings.\nShall I send two times that suit you?\n\n{{sender_first_name|Alex}}")]),
    ("wait", 2, []),
    ("email", 0, [("A", "", "Hi {{first_name|there}}, just bumping this up in case it got buried. "
                            "{Any thoughts|Is this on your radar}?")]),
    ("wait", 3, []),
    ("email", 0, [("A", "", "{{first_name|Hi}}, I'll leave it here. If meetings become a priority for "
                            "{{company|your team}}, just reply to this email.")]),
]


def _seed_sequence(organization: Organization) -> None:
    sequence, created = Sequence.objects.get_or_create(organization=organization, slug="three-touches",
                                                       defaults={"name": "Three touches"})
    if not created:
        return
    for position, (kind, days, variants) in enumerate(DEMO_SEQUENCE):
        step = SequenceStep.objects.create(sequence=sequence, position=position, kind=kind, wait_days=days)
        for label, subject, body in variants:
            StepVariant.objects.create(step=step, label=label, subject_template=subject, body_template=body)


def seed_demo_identities(organization: Organization, user: object) -> dict[str, int]:
    """The sending identities as a part of ``ops.seed`` (registered in CampaignsConfig.ready)."""
    made = seed_sending_identities(organization)
    return {"domain(s)": made.domains_created, "contact(s)": made.contacts_created}
