"""The OpenAI SDK, as the gateway uses it: one client per call, and a retry loop whose every wait is audited.

The SDK is imported inside the functions, never at module import: a web or worker process that never calls an
LLM never loads it.
"""

from __future__ import annotations

import email.utils
import time
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from django.conf import settings

from agents.llm.errors import LLMCallFailed, LLMRequestRejected

if TYPE_CHECKING:
    from openai import OpenAI

T = TypeVar("T")


def client() -> OpenAI:
    """An OpenAI SDK client for one call. ``max_retries=0``: the gateway runs its own retry loop (logged waits)."""
    from openai import OpenAI

    return OpenAI(
        api_key=settings.OPENAI_API_KEY or "not-configured",
        base_url=settings.OPENAI_BASE_URL or None,
        webhook_secret=settings.OPENAI_WEBHOOK_SECRET or None,
        timeout=settings.REX_LLM_TIMEOUT_SECONDS,
        max_retries=0,
    )


def retry_after_seconds(headers: Mapping[str, str] | None) -> float | None:
    """The server's requested wait: ``retry-after-ms``, else ``Retry-After`` as seconds or as an HTTP date."""
    if not headers:
        return None
    millis = headers.get("retry-after-ms")
    if millis is not None:
        try:
            return max(float(millis) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - datetime.now(when.tzinfo)).total_seconds(), 0.0)


def with_retries(call: Callable[[], T]) -> tuple[T, list[dict[str, Any]]]:
    """Run ``call``, retrying 429, 5xx, timeouts and connection errors; returns its result and the waits taken.

    The wait is the server's ``Retry-After`` (capped at ``REX_LLM_MAX_RETRY_WAIT_SECONDS``), else 1, 2, 4 … s.
    Other 4xx fail at once with ``LLMRequestRejected``; exhausted retries raise ``LLMCallFailed``. Both carry
    the waits taken in ``.retries`` for the audit row.
    """
    import openai

    max_retries = max(int(settings.REX_LLM_MAX_RETRIES), 0)
    cap = float(settings.REX_LLM_MAX_RETRY_WAIT_SECONDS)
    retries: list[dict[str, Any]] = []
    for attempt in range(max_retries + 1):
        try:
            return call(), retries
        except openai.APIStatusError as exc:
            status: int | str = exc.status_code
            if exc.status_code != 429 and exc.status_code < 500:
                raise LLMRequestRejected(
                    f"the LLM provider rejected the request with HTTP {exc.status_code}: {provider_message(exc)}",
                    status=exc.status_code, retries=retries,
                ) from exc
            requested = retry_after_seconds(exc.response.headers)
            reason = f"HTTP {exc.status_code}: {provider_message(exc)}"
        except openai.APITimeoutError as exc:
            status, requested, reason = "timeout", None, f"timed out ({exc})"
        except openai.APIConnectionError as exc:
            status, requested, reason = "connection_error", None, f"connection failed ({exc})"
        except openai.OpenAIError as exc:
            # Anything else the SDK raises (an unreadable answer, say) is not helped by asking again at once.
            raise LLMCallFailed(f"the LLM call failed: {type(exc).__name__}: {str(exc)[:300]}",
                                retries=retries) from exc
        if attempt == max_retries:
            raise LLMCallFailed(f"the LLM call failed after {max_retries} retries: {reason}",
                                status=status, retries=retries)
        wait = min(requested if requested is not None else float(2 ** attempt), cap)
        retries.append({"status": status, "waited_s": round(wait, 3)})
        time.sleep(wait)
    raise AssertionError("unreachable")  # the loop always returns or raises


def provider_message(exc: Any) -> str:
    """The provider's own error message (from the JSON body when there is one), cut to 300 characters."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict):
        error = body.get("error", body)
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])[:300]
    return str(getattr(exc, "message", exc))[:300]
