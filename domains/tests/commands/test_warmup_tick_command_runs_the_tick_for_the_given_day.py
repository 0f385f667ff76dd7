from datetime import timedelta
from io import StringIO

from django.core.management import call_command

from domains.tests.warmup_fleet import DAY0, make_domain


def test_warmup_tick_command_runs_the_tick_for_the_given_day(organization):
    domain = make_domain(organization, inboxes=3)
    day = DAY0 + timedelta(days=1)

    out = StringIO()
    call_command("rex_warmup_tick", "--date", day.isoformat(), stdout=out)

    assert set(domain.inboxes.values_list("warmup_day", "warmup_limit", "warmup_advanced_on")) == {(2, 7, day)}
    assert out.getvalue().startswith(f"warmup tick {day}: inboxes 3 advanced, 0 completed")

    again = StringIO()
    call_command("rex_warmup_tick", "--date", day.isoformat(), stdout=again)
    assert again.getvalue().splitlines()[1] == "  nothing to change"
