"""``/healthz`` for load balancers and ``rex up``'s smoke test; ``/metrics`` for Prometheus."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.health import check_health
from ops.metrics import render_metrics, scrape_token_accepted


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = check_health()
    return JsonResponse(report, status=200 if report["ok"] else 503)


@never_cache
@require_GET
def metrics(request: HttpRequest) -> HttpResponse:
    # Without a token configured the endpoint does not exist: nothing to guess at, nothing exposed by default.
    if not settings.REX_METRICS_TOKEN:
        raise Http404("metrics are not enabled")
    if not scrape_token_accepted(request.headers.get("Authorization")):
        response = JsonResponse({"detail": "a valid bearer token is required (REX_METRICS_TOKEN)"}, status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    body, content_type = render_metrics(request.headers.get("Accept"))
    return HttpResponse(body, content_type=content_type)
