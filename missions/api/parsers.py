"""A JSON parser that refuses oversized bodies before reading them into memory."""

from __future__ import annotations

import io

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.REX_MAX_COMMAND_BYTES
        request = (parser_context or {}).get("request")
        declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        if declared > limit:
            raise ParseError(f"request body is {declared} bytes; the limit is {limit}")
        body = stream.read(limit + 1) if stream is not None else b""
        if len(body) > limit:
            raise ParseError(f"request body exceeds the limit of {limit} bytes")
        return super().parse(io.BytesIO(body), media_type, parser_context)
