"""Sending figures for ``/metrics`` (``ops.metrics``): outbound messages by channel and status, bounces by class.

Counted from the rows at every scrape, so sends made by any worker show up; the message count is an index-only
scan of ``outbound_channel_status``. Counters here are row counts: erasing contacts' messages (GDPR) can lower one,
which Prometheus treats as a counter reset.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count
from prometheus_client.metrics_core import CounterMetricFamily, GaugeMetricFamily, Metric

from inboxes.models import BounceRecord, OutboundMessage


def sending_metrics() -> Iterable[Metric]:
    by_status = GaugeMetricFamily("rex_outbound_messages", "Outbound messages (email, SMS) by channel and status.",
                                  labels=["channel", "status"])
    sent = CounterMetricFamily("rex_messages_sent", "Messages handed to a transport and accepted, by channel.",
                               labels=["channel"])
    sent_per_channel = {channel: 0 for channel, _ in OutboundMessage._meta.get_field("channel").choices}
    for row in OutboundMessage.objects.order_by().values("channel", "status").annotate(count=Count("*")):
        by_status.add_metric([row["channel"], row["status"]], row["count"])
        if row["status"] == OutboundMessage.Status.SENT:
            sent_per_channel[row["channel"]] = sent_per_channel.get(row["channel"], 0) + row["count"]
    for channel, count in sent_per_channel.items():
        sent.add_metric([channel], count)
    yield by_status
    yield sent

    bounces = CounterMetricFamily("rex_bounces", "Bounces recorded, by class: hard (dead address), soft (try "
                                  "later), infrastructure (the sender's fault).", labels=["class"])
    counts = {klass: 0 for klass in BounceRecord.Class.values}
    for row in BounceRecord.objects.order_by().values("klass").annotate(count=Count("*")):
        counts[row["klass"]] = row["count"]
    for klass, count in counts.items():
        bounces.add_metric([klass], count)
    yield bounces
