from datetime import timedelta

from domains.models import Domain, DomainState
from domains.tests.warmup_fleet import DAY0, make_domain
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_domain_becomes_ready_when_all_inboxes_are_active(organization):
    finishing = make_domain(organization, inboxes=2, warmup_limit=39, warmup_day=18)
    with_disabled = make_domain(organization, inbox_status=Inbox.Status.ACTIVE)
    Inbox.objects.create(organization=organization, domain=with_disabled, address=f"old@{with_disabled.name}",
                         status=Inbox.Status.DISABLED)
    one_still_warming = make_domain(organization, inbox_status=Inbox.Status.ACTIVE)
    Inbox.objects.create(organization=organization, domain=one_still_warming, address=f"new@{one_still_warming.name}",
                         status=Inbox.Status.WARMING, warmup_limit=5, warmup_day=1, warmup_advanced_on=DAY0)
    only_disabled = make_domain(organization, inbox_status=Inbox.Status.DISABLED)
    no_inboxes = make_domain(organization, inboxes=0)

    report = tick(today=DAY0 + timedelta(days=1))

    states = dict(Domain.objects.values_list("pk", "state"))
    assert report.completed == 2 and report.domains_ready == 2
    assert states == {finishing.pk: DomainState.READY, with_disabled.pk: DomainState.READY,
                      one_still_warming.pk: DomainState.WARMING, only_disabled.pk: DomainState.WARMING,
                      no_inboxes.pk: DomainState.WARMING}
    audit = finishing.transitions.get()
    assert (audit.from_state, audit.to_state, audit.actor) == (DomainState.WARMING, DomainState.READY, "system:warmup")
