"""LLM usage for ``/metrics`` (``ops.metrics``): calls, tokens and cost per agent, summed from the audit log.

Every LLM call writes one ``AgentLog`` row with its tokens and cost (``agents.llm.audit``), in whichever process
made it, so the sums are right across web and worker processes. The query reads only those rows, through the
partial index ``agentlog_llm_usage`` that also holds the summed columns. Rows pruned by the audit log's retention
(``REX_AGENT_LOG_RETENTION_DAYS``) leave the sums: Prometheus sees a counter reset, which ``rate()`` allows for.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Count, Sum
from prometheus_client.metrics_core import CounterMetricFamily, Metric

from agents.models import LLM_USAGE, AgentLog


def llm_metrics() -> Iterable[Metric]:
    calls = CounterMetricFamily("rex_llm_calls", "LLM calls that used tokens or cost money, by agent.", labels=["agent"])
    tokens = CounterMetricFamily("rex_llm_tokens", "LLM tokens used, by agent and kind (prompt, completion).",
                                 labels=["agent", "kind"])
    cost = CounterMetricFamily("rex_llm_cost_usd", "What LLM calls cost, in US dollars, by agent.", labels=["agent"])
    rows = (AgentLog.objects.filter(LLM_USAGE).order_by().values("agent")
            .annotate(calls=Count("*"), prompt=Sum("llm_prompt_tokens"), completion=Sum("llm_completion_tokens"),
                      cost=Sum("llm_cost")))
    for row in rows:
        calls.add_metric([row["agent"]], row["calls"])
        tokens.add_metric([row["agent"], "prompt"], row["prompt"] or 0)
        tokens.add_metric([row["agent"], "completion"], row["completion"] or 0)
        cost.add_metric([row["agent"]], float(row["cost"] or 0))
    yield calls
    yield tokens
    yield cost
