"""A metrics source that fails at scrape time (the broker is down, a query errors) costs only its own figures: the
scrape still answers 200, says ``rex_metrics_source_up{source=…} 0`` for it, and logs why."""

import pytest

from ops.metrics import register_source
from ops.tests.metrics_helpers import TOKEN, scrape, value

pytestmark = pytest.mark.django_db


def test_failing_source_is_down_and_the_rest_is_scraped(settings, restore_registry, caplog):
    settings.REX_METRICS_TOKEN = TOKEN

    def unreachable():
        raise ConnectionError("the figures' server is not answering")
        yield  # a generator, like the real sources

    register_source("unreachable", unreachable)
    samples = scrape()

    assert value(samples, "rex_metrics_source_up", source="unreachable") == 0
    assert value(samples, "rex_metrics_source_up", source="missions") == 1
    assert value(samples, "rex_queue_missions_queued", queue="missions.high") == 0
    assert "metrics source unreachable failed" in caplog.text
