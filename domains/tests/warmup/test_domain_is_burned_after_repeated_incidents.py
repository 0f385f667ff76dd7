from datetime import timedelta

from domains.models import Domain, DomainState
from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def test_domain_is_burned_after_repeated_incidents(organization):
    # REX_DOMAIN_BURN_AFTER_INCIDENTS = 3: a domain rested twice before burns at its third incident.
    today = DAY0 + timedelta(days=8)
    third = make_domain(organization, state=DomainState.READY, inboxes=3, inbox_status=Inbox.Status.ACTIVE)
    second = make_domain(organization, state=DomainState.READY, inbox_status=Inbox.Status.ACTIVE)
    Domain.objects.filter(pk=third.pk).update(incidents=2)
    Domain.objects.filter(pk=second.pk).update(incidents=1)
    for domain in (third, second):
        record_days(domain.inboxes.first(), today - timedelta(days=2), 2, sent=40, bounces=4)

    report = tick(today=today)

    third.refresh_from_db()
    second.refresh_from_db()
    assert report.domains_resting == 2 and report.domains_burned == 1 and report.disabled == 3
    assert third.state == DomainState.BURNED and third.incidents == 3 and not third.may_send
    assert [(t.from_state, t.to_state) for t in third.transitions.all()] == [
        (DomainState.READY, DomainState.RESTING), (DomainState.RESTING, DomainState.BURNED)]
    assert set(third.inboxes.values_list("status", flat=True)) == {Inbox.Status.DISABLED}
    assert second.state == DomainState.RESTING and second.incidents == 2
    assert set(second.inboxes.values_list("status", flat=True)) == {Inbox.Status.PAUSED}
    # A burned domain never comes back, however long it waits.
    later = tick(today=today + timedelta(days=30))
    third.refresh_from_db()
    assert third.state == DomainState.BURNED and later.resumed == 1  # the one of `second`, back from its rest
