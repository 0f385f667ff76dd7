from datetime import timedelta
from io import StringIO

from django.core.management import call_command
from django.forms.models import model_to_dict

from domains.models import Domain, DomainState, DomainTransition
from domains.tests.warmup_fleet import DAY0, make_domain, record_days
from inboxes.models import Inbox


def test_warmup_tick_command_dry_run_changes_nothing(organization):
    day = DAY0 + timedelta(days=1)
    make_domain(organization, inboxes=2, warmup_limit=39, warmup_day=18, name="finishing.example")
    bad = make_domain(organization, state=DomainState.READY, inbox_status=Inbox.Status.ACTIVE, name="bad.example")
    record_days(bad.inboxes.get(), DAY0 - timedelta(days=2), 2, sent=40, bounces=4)
    before = ([model_to_dict(i) for i in Inbox.objects.order_by("pk")],
              [model_to_dict(d) for d in Domain.objects.order_by("pk")])

    out = StringIO()
    call_command("rex_warmup_tick", "--date", day.isoformat(), "--dry-run", stdout=out)

    assert ([model_to_dict(i) for i in Inbox.objects.order_by("pk")],
            [model_to_dict(d) for d in Domain.objects.order_by("pk")]) == before
    assert not DomainTransition.objects.exists()
    assert out.getvalue().splitlines() == [
        f"dry run, nothing changed — would do: warmup tick {day}: inboxes 0 advanced, 2 completed, 1 paused, "
        "0 resumed, 0 disabled; domains 1 ready, 1 resting, 0 burned, 0 back to warming",
        "  paused rep0@bad.example: bounce rate 10% (8/80) above 3% over the last 7 days",
        f"  domain bad.example: ready → resting until {day + timedelta(days=3)}",
        "  domain finishing.example: warming → ready",
    ]
