"""Builders for the answer tests: two clients' sending identities, a campaign, and what was sent, bounced and
answered, at chosen moments."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from campaigns.models import Campaign
from domains.models import Domain
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import BounceRecord, Inbox, OutboundMessage
from missions.decision import do_command
from replies.models import InboundMessage
from tenants.models import Organization

NOW = datetime(2026, 12, 2, 15, 0, tzinfo=UTC)  # a Wednesday: "this week" began on Monday 30 November
_serial = itertools.count()


def identities(organization: Organization) -> tuple[Inbox, Inbox, Campaign]:
    """acme's inbox sales@acme-mail.example, globex's rep@globex-mail.example, and campaign spring-launch."""
    [acme] = add_inboxes(create_domain(organization, "acme-mail.example", client="acme"), local_part="sales")
    [globex] = add_inboxes(create_domain(organization, "globex-mail.example", client="globex"), local_part="rep")
    campaign = Campaign.objects.create(organization=organization, name="Spring launch", slug="spring-launch")
    return acme, globex, campaign


def send(inbox: Inbox, count: int, *, at: datetime, campaign: Campaign | None = None,
         status: str = OutboundMessage.Status.SENT) -> list[OutboundMessage]:
    return [OutboundMessage.objects.create(
        organization=inbox.organization, inbox=inbox, campaign=campaign, idempotency_key=f"answers-{next(_serial)}",
        to_address=f"person{next(_serial)}@example.net", status=status, sent_at=at) for _ in range(count)]


def bounce(message: OutboundMessage, klass: str, *, at: datetime) -> BounceRecord:
    domain: Domain = message.inbox.domain
    return BounceRecord.objects.create(organization=message.organization, inbox=message.inbox, domain=domain,
                                       message=message, recipient=message.to_address, klass=klass, at=at)


def reply(message: OutboundMessage, category: str, *, at: datetime, corrected: str = "") -> InboundMessage:
    return InboundMessage.objects.create(organization=message.organization, inbox=message.inbox, raw=b"",
                                         from_address=message.to_address, outbound=message, category=category,
                                         corrected_category=corrected, received_at=at, acted_at=at)


def ask(organization: Organization, text: str, user: object = None) -> dict:
    """The engine's answer to ``text`` on the day of ``NOW`` (recorded as answered by the rules)."""
    result = do_command({"command": text}, organization=organization, user=user, today=NOW.date())
    assert (result.record.outcome, result.record.layer) == ("answered", "rules")
    return result.decision.answer
