from datetime import timedelta

from django.forms.models import model_to_dict

from domains.models import Domain, DomainState, DomainTransition
from domains.tests.warmup_fleet import DAY0, at, make_domain, record_days
from inboxes.models import Inbox
from inboxes.warmup import tick


def snapshot() -> tuple:
    return ([model_to_dict(i) for i in Inbox.objects.order_by("pk")],
            [model_to_dict(d) for d in Domain.objects.order_by("pk")], DomainTransition.objects.count())


def test_second_tick_on_the_same_day_changes_nothing(organization):
    today = DAY0 + timedelta(days=1)
    make_domain(organization, inboxes=3)                                              # advance
    make_domain(organization, warmup_limit=39, warmup_day=18)                         # completes, domain ready
    bad = make_domain(organization, state=DomainState.IN_USE, inbox_status=Inbox.Status.ACTIVE)
    record_days(bad.inboxes.get(), DAY0 - timedelta(days=3), 4, sent=40, bounces=3)   # pauses, domain rests
    make_domain(organization, state=DomainState.RESTING, inbox_status=Inbox.Status.PAUSED,
                paused_at=at(DAY0 - timedelta(days=2)), warmup_limit=30)             # rest over, inbox resumes
    Domain.objects.filter(state=DomainState.RESTING).update(rest_until=at(today, 0), incidents=1)

    first = tick(today=today)
    assert (first.advanced, first.completed, first.paused, first.resumed) == (3, 1, 1, 1)
    assert (first.domains_ready, first.domains_resting, first.domains_rewarming) == (1, 1, 1)
    before = snapshot()

    second = tick(today=today)

    assert not second.changed and second.details == []
    assert snapshot() == before
