"""``/healthz``: the database, Redis and at least one worker, for load balancers and ``rex up``'s smoke test."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops.health import check_health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    report = check_health()
    return JsonResponse(report, status=200 if report["ok"] else 503)
