"""Log lines that say which request and which mission they belong to, as text or as JSON (``REX_LOG_FORMAT``).

``RequestContextFilter`` sits on the console handler (settings.LOGGING), so every record that handler writes,
Django's, Celery's or ours, carries ``request_id`` and ``mission_id`` from ``core.request_context``. The text
format stays a human one-liner with the ids in brackets when there are any; the JSON format is one object per
line for a log shipper: timestamp, level, logger, message, request_id, mission_id when known, and the traceback.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from django.core.exceptions import ImproperlyConfigured

from core.request_context import current_mission_id, current_request_id

LOG_FORMATS = ("text", "json")


class RequestContextFilter(logging.Filter):
    """Stamps each record with the request id and mission id of the code that wrote it; drops nothing."""

    def filter(self, record: logging.LogRecord) -> bool:
        # A record may already carry them (a caller's ``extra=``): keep those.
        if not getattr(record, "request_id", ""):
            record.request_id = current_request_id()
        if not getattr(record, "mission_id", ""):
            record.mission_id = current_mission_id()
        return True


class TextFormatter(logging.Formatter):
    """``2026-12-04 10:00:00,123 INFO missions.runner [req=… mission=…]: message``; the brackets only when known."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s: %(message)s")

    def formatMessage(self, record: logging.LogRecord) -> str:
        parts = []
        if getattr(record, "request_id", ""):
            parts.append(f"req={record.request_id}")
        if getattr(record, "mission_id", ""):
            parts.append(f"mission={record.mission_id}")
        record.context = f" [{' '.join(parts)}]" if parts else ""
        return super().formatMessage(record)


class JsonFormatter(logging.Formatter):
    """One JSON object per record, on one line (newlines inside the message or traceback are escaped)."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, object] = {
            "timestamp": datetime.fromtimestamp(record.created, tz=UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or None,
        }
        mission_id = getattr(record, "mission_id", "")
        if mission_id:
            line["mission_id"] = mission_id
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            line["exception"] = record.exc_text
        if record.stack_info:
            line["stack"] = self.formatStack(record.stack_info)
        # default=str: a message is already a string, but an ``extra`` someone adds later may not be.
        return json.dumps(line, ensure_ascii=False, default=str)


def formatter_for(log_format: str) -> dict[str, str]:
    """The ``LOGGING["formatters"]`` entry for ``REX_LOG_FORMAT``; anything but text/json is a start-up error."""
    if log_format not in LOG_FORMATS:
        raise ImproperlyConfigured(f"REX_LOG_FORMAT must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    return {"()": "core.logs.JsonFormatter" if log_format == "json" else "core.logs.TextFormatter"}
