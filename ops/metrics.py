"""Prometheus metrics: what ``/metrics`` shows, how it is computed, and the multi-process plumbing.

Two kinds of figures:

- **Counted from the database and the broker at scrape time** (missions by type and status, queued missions and
  the oldest one's age per queue, messages sent, bounces by class, LLM tokens and cost, broker queue depth). They
  are right whichever process did the work (web, any worker), and survive restarts, because they are the rows
  themselves, read with aggregate queries over indexes. Each app that owns such rows registers a *source* here
  (``register_source`` in its ``AppConfig.ready``; this app sits below them and never imports them).
- **Counted in the process that served the request**: the HTTP latency histogram (``RequestLatencyMiddleware``),
  labelled by route template, method and status, never by raw path, so its cardinality stays bounded.

Several web processes (gunicorn with uvicorn workers) each hold their own histogram. With
``PROMETHEUS_MULTIPROC_DIR`` set in the environment *before* the processes start, prometheus_client writes every
process's values to files in that directory and a scrape, answered by any one process, adds them up. The server's
configuration (``ops.webserver``) calls ``ops.metrics_files.prepare_multiprocess_dir()`` once at start and
``mark_worker_dead(pid)`` when a worker process exits (docs/operations.md "Metrics").
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from prometheus_client import CollectorRegistry, Histogram, multiprocess
from prometheus_client.exposition import choose_encoder
from prometheus_client.metrics_core import GaugeMetricFamily, Metric

from core.registry import Registry
from ops.metrics_files import multiprocess_dir
from rex_project.celery import ALL_QUEUES
from rex_project.celery import app as celery_app

logger = logging.getLogger(__name__)

# --- figures from the database: one source per app that owns the rows ------------------------------------------------

Source = Callable[[], Iterable[Metric]]
_sources: Registry[Source] = Registry("metrics source")


def register_source(name: str, source: Source) -> Source:
    """Add a function that yields metric families computed at scrape time (from the database, say).

    Keep its queries answerable from an index alone: count with ``Count("*")`` (``Count("pk")`` makes PostgreSQL
    read the table for the id) over columns an index holds.
    """
    return _sources.register(name, source)


def broker_queue_depths() -> dict[str, int]:
    """Messages waiting in each queue of the broker, ready or not yet fetched by a worker (also the agents board)."""
    depths = {}
    # A passive declare asks the broker for the queue's size without creating or changing anything; kombu answers it
    # for Redis (summing the queue's priority lists) and AMQP alike. Both answer "not found" for a queue that does
    # not exist yet (on Redis: one that is empty), which is 0 waiting; AMQP then closes the channel, hence one
    # channel per queue.
    with celery_app.connection_for_read() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
        for queue in ALL_QUEUES:
            channel = connection.channel()
            try:
                _, messages, _ = channel.queue_declare(queue=queue, passive=True)
            except connection.channel_errors:
                messages = 0
            finally:
                channel.close()
            depths[queue] = messages
    return depths


def _broker_queue_depths() -> Iterable[Metric]:
    depth = GaugeMetricFamily("rex_queue_depth", "Messages waiting in each Celery queue of the broker.",
                              labels=["queue"])
    for queue, messages in broker_queue_depths().items():
        depth.add_metric([queue], messages)
    yield depth


register_source("broker", _broker_queue_depths)


class _ScrapeTimeSources:
    """Every registered source, each on its own: one that fails (the broker is down) is logged and reported as
    ``rex_metrics_source_up{source=…} 0``, and the others still answer."""

    def collect(self) -> Iterable[Metric]:
        up = GaugeMetricFamily("rex_metrics_source_up", "1 if the source's figures were read at this scrape, 0 if "
                               "reading them failed (see the log).", labels=["source"])
        for name in _sources:
            started = time.monotonic()
            try:
                families = list(_sources[name]())
            except Exception:
                logger.warning("metrics source %s failed after %.2f s", name, time.monotonic() - started,
                               exc_info=True)
                up.add_metric([name], 0)
                continue
            yield from families
            up.add_metric([name], 1)
        yield up


# --- figures counted in this process ---------------------------------------------------------------------------------

# The in-process metrics live in a registry of their own, so a scrape in single-process mode exports exactly them
# (with no multiprocess directory, nothing else would find them); in multi-process mode their values go to files.
_process_registry = CollectorRegistry()

HTTP_REQUEST_DURATION = Histogram(
    "rex_http_request_duration_seconds",
    "Time from the request reaching Django to its response leaving it, by route template, method and status.",
    ["route", "method", "status"],
    registry=_process_registry,
)

# Methods are labels as they are; anything else a client invents is one label, so it cannot add series.
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED_ROUTE = "<unmatched>"
STATIC_ROUTE = "<static>"


def route_template(request: HttpRequest) -> str:
    """The URL pattern that served the request (``/api/missions/<uuid:pk>/``), never its raw path."""
    match = getattr(request, "resolver_match", None)
    if match is not None and match.route is not None:
        return "/" + match.route
    # WhiteNoise answers static files before URL resolution; every other path that matched nothing is one label.
    if request.path.startswith("/" + settings.STATIC_URL.lstrip("/")):
        return STATIC_ROUTE
    return UNMATCHED_ROUTE


class RequestLatencyMiddleware:
    """Times every request into ``rex_http_request_duration_seconds`` (up to the response, not a streamed body)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        method = request.method if request.method in KNOWN_METHODS else "other"
        HTTP_REQUEST_DURATION.labels(route_template(request), method, str(response.status_code)).observe(
            time.perf_counter() - started)
        return response


# --- the scrape ------------------------------------------------------------------------------------------------------

def scrape_token_accepted(authorization: str | None) -> bool:
    """Whether ``Authorization: Bearer <token>`` names ``REX_METRICS_TOKEN`` (compared in constant time)."""
    scheme, _, offered = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not offered.strip():
        return False
    return hmac.compare_digest(offered.strip().encode(), settings.REX_METRICS_TOKEN.encode())


def render_metrics(accept: str | None) -> tuple[bytes, str]:
    """The exposition (Prometheus text, or OpenMetrics if the scraper asks for it) and its content type."""
    registry = CollectorRegistry(auto_describe=False)
    path = multiprocess_dir()
    if path is not None:
        multiprocess.MultiProcessCollector(registry, path=str(path))
    else:
        registry.register(_process_registry)
    registry.register(_ScrapeTimeSources())
    encoder, content_type = choose_encoder(accept or "")
    return encoder(registry), content_type
