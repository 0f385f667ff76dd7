from datetime import timedelta

from django.core.cache import cache

from domains.tests.warmup_fleet import make_domain
from inboxes.models import Inbox
from inboxes.tasks import TICK_LOCK_KEY, warmup_tick
from inboxes.warmup import utc_today
from rex_project.celery import app


def test_warmup_tick_task_runs_the_tick(organization):
    yesterday = utc_today() - timedelta(days=1)
    domain = make_domain(organization, inboxes=2, warmup_advanced_on=yesterday)

    result = warmup_tick.apply()

    assert result.successful()
    assert result.result["day"] == utc_today().isoformat() and result.result["advanced"] == 2
    assert list(domain.inboxes.values_list("warmup_day", "warmup_limit", "warmup_advanced_on")) == \
        [(2, 7, utc_today())] * 2
    assert cache.get(TICK_LOCK_KEY) is None  # released
    # The beat entry runs exactly this task, on the control queue.
    entry = app.conf.beat_schedule["warmup-tick"]
    assert entry["task"] == warmup_tick.name == "domains.warmup_tick" and entry["options"]["queue"] == "rex.control"


def test_warmup_tick_task_skips_while_another_tick_runs(organization):
    domain = make_domain(organization, warmup_advanced_on=utc_today() - timedelta(days=1))
    cache.set(TICK_LOCK_KEY, "another worker", timeout=60)
    try:
        result = warmup_tick.apply()
        assert result.successful() and result.result is None
        assert domain.inboxes.get().status == Inbox.Status.WARMING
        assert domain.inboxes.get().warmup_day == 1
        assert cache.get(TICK_LOCK_KEY) == "another worker"  # not ours to release
    finally:
        cache.delete(TICK_LOCK_KEY)
