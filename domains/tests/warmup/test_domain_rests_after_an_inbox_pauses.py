from datetime import timedelta

from campaigns.models import Campaign
from domains.models import DomainState
from domains.tests.warmup_fleet import DAY0, at, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_domain_rests_after_an_inbox_pauses(organization):
    today = DAY0 + timedelta(days=8)
    campaign = Campaign.objects.create(organization=organization, name="Spring push", slug="spring-push")
    in_use = make_domain(organization, state=DomainState.IN_USE, inboxes=2, inbox_status=Inbox.Status.ACTIVE)
    in_use.campaign = campaign
    in_use.save(update_fields=["campaign"])
    warming = make_domain(organization, state=DomainState.WARMING, inboxes=1)
    for domain in (in_use, warming):
        record_days(domain.inboxes.first(), today - timedelta(days=3), 3, sent=30, complaints=1)
    healthy = make_domain(organization, state=DomainState.READY, inbox_status=Inbox.Status.ACTIVE)

    report = tick(today=today)

    assert report.paused == 2 and report.domains_resting == 2
    for domain in (in_use, warming, healthy):
        domain.refresh_from_db()
    assert (in_use.state, in_use.incidents, in_use.rest_until) == (DomainState.RESTING, 1, at(today + timedelta(days=3), 0))
    assert warming.state == DomainState.RESTING and warming.incidents == 1
    assert healthy.state == DomainState.READY and healthy.incidents == 0
    # A resting campaign domain still names its campaign, so assignment can see it is only out for a rest.
    assert in_use.campaign == campaign
    # Its other inbox is not paused, but sends nothing while the domain rests, and does not advance.
    other = in_use.inboxes.exclude(status=Inbox.Status.PAUSED).get()
    assert other.status == Inbox.Status.ACTIVE and not in_use.may_send
    audit = in_use.transitions.get()
    assert (audit.from_state, audit.to_state) == (DomainState.IN_USE, DomainState.RESTING)
    assert audit.reason.startswith("an inbox paused")
