"""``POST /webhook/llm``: OpenAI tells us a background response finished; we store the answer and resume the mission.

OpenAI signs its webhooks per the Standard Webhooks spec (``webhook-id``, ``webhook-timestamp`` and
``webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`` with the endpoint's ``whsec_`` secret).
The check is the OpenAI SDK's own (``client.webhooks.verify_signature``) with our replay window. A delivery id is
remembered for twice that window (a timestamp may be up to one window in the future): any older replay already
fails the timestamp check. The event carries only the response id; ``agents.llm.finish_async`` fetches the output.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from agents import llm
from core.jsonlimits import check_depth
from core.webhooks import ReplayGuard

logger = logging.getLogger(__name__)

HANDLED_EVENTS = ("response.completed", "response.failed", "response.cancelled", "response.incomplete")


def _error(status: int, message: str) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


def _verified_event(request: HttpRequest) -> tuple[dict[str, Any], str]:
    """The event and its delivery id, or ValueError when the signature, timestamp or body is not acceptable."""
    from openai import OpenAI

    headers = {name.lower(): value for name, value in request.headers.items()}
    verifier = OpenAI(api_key=settings.OPENAI_API_KEY or "not-configured", base_url=settings.OPENAI_BASE_URL or None,
                      max_retries=0)
    # InvalidWebhookSignatureError is a ValueError, and so is a missing header.
    verifier.webhooks.verify_signature(request.body, headers, secret=settings.OPENAI_WEBHOOK_SECRET,
                                       tolerance=settings.REX_LLM_WEBHOOK_TOLERANCE_SECONDS)
    # Parsed only once known to be OpenAI's, and depth-checked first: json.loads recurses per level of nesting.
    check_depth(request.body, settings.REX_MAX_JSON_DEPTH)
    event = json.loads(request.body)
    if not isinstance(event, dict):
        raise ValueError("the event is not a JSON object")
    data = event.get("data")
    if data is not None and not (isinstance(data, dict) and isinstance(data.get("id", ""), str)):
        raise ValueError("the event's data is not an object with a string id")
    return event, headers["webhook-id"]


@csrf_exempt
@require_POST
def llm_webhook(request: HttpRequest) -> JsonResponse:
    if not settings.OPENAI_WEBHOOK_SECRET:
        return _error(503, "the LLM webhook is not configured (OPENAI_WEBHOOK_SECRET is empty)")
    try:
        event, delivery_id = _verified_event(request)
    except ValueError as exc:
        return _error(400, f"rejected: {exc}")

    # Fail open: without Redis we cannot tell a replay, but processing stays idempotent (a request that is no
    # longer pending is never touched again).
    guard = ReplayGuard("llm-webhook", remember_seconds=2 * settings.REX_LLM_WEBHOOK_TOLERANCE_SECONDS,
                        fail_open=True)
    if not guard.first_delivery(delivery_id):
        return JsonResponse({"status": "duplicate"})

    event_type = str(event.get("type", ""))
    response_id = (event.get("data") or {}).get("id", "")
    if event_type not in HANDLED_EVENTS:
        return JsonResponse({"status": "ignored", "type": event_type})
    try:
        outcome = llm.finish_async(response_id, event_type)
    except llm.UnknownLLMResponse:
        guard.forget(delivery_id)
        return _error(404, f"no LLM request with response id {response_id!r}")
    except llm.MissionNotParkedYet:
        # The answer beat the runner parking the mission; a non-2xx makes OpenAI deliver it again shortly.
        guard.forget(delivery_id)
        return _error(409, "the mission is not waiting yet; deliver again later")
    except (llm.LLMCallFailed, llm.LLMRequestRejected) as exc:
        guard.forget(delivery_id)
        logger.warning("could not fetch LLM response %s: %s", response_id, exc)
        return _error(502, f"could not fetch the response from the provider: {exc}")
    return JsonResponse({"status": outcome})
