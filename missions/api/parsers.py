"""The API's JSON parser: refuses oversized bodies before reading them into memory, bodies nested too deep before
parsing them, and text PostgreSQL cannot store once parsed (all with 400, never a 500 further in)."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from core.jsonlimits import check_depth
from core.text import errors_by_field, find_unstorable


class BoundedJSONParser(JSONParser):
    # The command endpoint checks the text itself, to answer with the field and record the refusal.
    refuse_unstorable_text = True

    def parse(self, stream, media_type=None, parser_context=None) -> Any:
        limit = settings.REX_MAX_COMMAND_BYTES
        request = (parser_context or {}).get("request")
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if declared > limit:
            raise ParseError(f"request body is {declared} bytes; the limit is {limit}")
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(f"request body exceeds the limit of {limit} bytes")
        try:
            check_depth(body, settings.REX_MAX_JSON_DEPTH)
        except ValueError as exc:
            raise ParseError(f"{exc} (the limit)") from None
        data = super().parse(io.BytesIO(body), media_type, parser_context)
        if self.refuse_unstorable_text:
            findings = find_unstorable(data)
            if findings:
                raise ParseError(errors_by_field(findings))
        return data


class CommandJSONParser(BoundedJSONParser):
    """For ``POST /api/rex/command``: unstorable text reaches the view, which refuses it and records the refusal."""

    refuse_unstorable_text = False


# DRF's token view lists its own parsers (with DRF's unbounded JSONParser): ours replaces that one.
TOKEN_PARSERS = (FormParser, MultiPartParser, BoundedJSONParser)
