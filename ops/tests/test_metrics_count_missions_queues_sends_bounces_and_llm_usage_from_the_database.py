"""/metrics reads its business figures from the database (and the broker) at scrape time: missions by type and
status, the queued missions and the oldest one's age per queue, broker queue depth, messages by channel and status,
bounces by class, and LLM calls, tokens and cost per agent."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from agents.models import AgentLog
from inboxes.models import BounceRecord, OutboundMessage
from missions.models import Mission, MissionStatus
from missions.tests.factories import drive_to, submit_canary
from ops.tests.metrics_helpers import TOKEN, scrape, value
from rex_project.celery import app as celery_app

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def scrape_token(settings):
    settings.REX_METRICS_TOKEN = TOKEN


def test_missions_are_counted_by_type_and_status(organization):
    for status, how_many in [("queued", 2), ("succeeded", 3), ("failed", 1), ("cancelled", 1)]:
        for _ in range(how_many):
            drive_to(submit_canary(organization), status)

    samples = scrape()

    assert value(samples, "rex_missions", type="canary", status="queued") == 2
    assert value(samples, "rex_missions", type="canary", status="succeeded") == 3
    assert value(samples, "rex_missions", type="canary", status="failed") == 1
    assert value(samples, "rex_missions", type="canary", status="cancelled") == 1
    assert value(samples, "rex_missions", type="canary", status="running") is None  # no row, no series
    assert value(samples, "rex_metrics_source_up", source="missions") == 1


def test_queued_missions_and_the_oldest_ones_age_are_given_per_queue(organization):
    waiting_long = submit_canary(organization, priority="high")
    submit_canary(organization, priority="high")
    submit_canary(organization, priority="low")
    drive_to(submit_canary(organization, priority="normal"), "running")  # not queued any more
    Mission.objects.filter(pk=waiting_long.pk).update(updated_at=timezone.now() - timedelta(minutes=10))

    samples = scrape()

    assert value(samples, "rex_queue_missions_queued", queue="missions.high") == 2
    assert value(samples, "rex_queue_missions_queued", queue="missions.low") == 1
    assert value(samples, "rex_queue_missions_queued", queue="missions.normal") == 0
    assert 600 <= value(samples, "rex_queue_oldest_queued_age_seconds", queue="missions.high") < 3600
    assert value(samples, "rex_queue_oldest_queued_age_seconds", queue="missions.normal") == 0
    assert Mission.objects.filter(status=MissionStatus.QUEUED).count() == 3


def test_broker_queue_depth_counts_the_messages_waiting_in_each_queue():
    def depth(queue: str) -> float:
        return value(scrape(), "rex_queue_depth", queue=queue)

    before = depth("missions.low")
    assert depth("rex.control") is not None
    try:
        for _ in range(3):
            celery_app.send_task("missions.noop", queue="missions.low")  # no worker runs in this test
        assert depth("missions.low") == before + 3
    finally:
        with celery_app.connection_for_write() as connection:
            connection.default_channel.queue_purge("missions.low")
    assert value(scrape(), "rex_metrics_source_up", source="broker") == 1


def test_messages_are_counted_by_channel_and_status_and_bounces_by_class(organization):
    def message(n: int, status: str, channel: str = "email") -> OutboundMessage:
        return OutboundMessage.objects.create(organization=organization, idempotency_key=f"metrics-{n}",
                                              to_address=f"c{n}@example.com", channel=channel, status=status)

    for n in range(4):
        message(n, OutboundMessage.Status.SENT)
    message(10, OutboundMessage.Status.FAILED)
    message(11, OutboundMessage.Status.SENT, channel="sms")
    for klass, how_many in [("hard", 2), ("infrastructure", 1)]:
        for _ in range(how_many):
            BounceRecord.objects.create(organization=organization, recipient="x@example.com", klass=klass)

    samples = scrape()

    assert value(samples, "rex_outbound_messages", channel="email", status="sent") == 4
    assert value(samples, "rex_outbound_messages", channel="email", status="failed") == 1
    assert value(samples, "rex_outbound_messages", channel="sms", status="sent") == 1
    assert value(samples, "rex_messages_sent_total", channel="email") == 4
    assert value(samples, "rex_messages_sent_total", channel="sms") == 1
    assert value(samples, "rex_bounces_total", **{"class": "hard"}) == 2
    assert value(samples, "rex_bounces_total", **{"class": "infrastructure"}) == 1
    assert value(samples, "rex_bounces_total", **{"class": "soft"}) == 0


def test_llm_calls_tokens_and_cost_are_summed_per_agent_from_the_audit_log(organization):
    def audit(agent: str, prompt: int, completion: int, cost: str) -> None:
        AgentLog.objects.create(organization=organization, agent=agent, action="llm_call",
                                llm_prompt_tokens=prompt, llm_completion_tokens=completion, llm_cost=Decimal(cost))

    audit("decision", 1000, 200, "0.000270")
    audit("decision", 500, 100, "0.000135")
    audit("triage", 40, 10, "0.000012")
    AgentLog.objects.create(organization=organization, agent="canary", action="run")  # no LLM: not a call

    samples = scrape()

    assert value(samples, "rex_llm_calls_total", agent="decision") == 2
    assert value(samples, "rex_llm_tokens_total", agent="decision", kind="prompt") == 1500
    assert value(samples, "rex_llm_tokens_total", agent="decision", kind="completion") == 300
    assert value(samples, "rex_llm_tokens_total", agent="triage", kind="prompt") == 40
    assert value(samples, "rex_llm_cost_usd_total", agent="decision") == pytest.approx(0.000405)
    assert value(samples, "rex_llm_cost_usd_total", agent="triage") == pytest.approx(0.000012)
    assert value(samples, "rex_llm_calls_total", agent="canary") is None
