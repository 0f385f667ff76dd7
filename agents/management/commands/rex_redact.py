"""``manage.py rex_redact``: show exactly what an LLM would receive for some text.

Reads JSON lines from stdin, one object per line::

    {"text": "Call Jane on +44 20 7946 0958", "known": {"PERSON": ["Jane Doe"]}, "region": "GB"}

(``known`` and ``region`` are optional) and writes one JSON line per input line to stdout::

    {"text": "Call <PERSON_1> on <PHONE_1>", "spans": [{"type": "PERSON", "start": 5, "end": 9}, ...]}

Span offsets are into the input text. Blank lines are skipped. A line that is not a JSON object with a string
``text`` gets ``{"error": "line N: ..."}`` in its place, so outputs stay aligned with inputs; it is also reported
on stderr, and the command exits with status 1 at the end. Input is read and answered line by line, so it can
stream any amount of text.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from agents.pii import PII_TYPES, default_region, redact
from core.processes import settle_after_startup


class BadLine(ValueError):
    """The input line cannot be redacted; the message says why."""


def _lines(stream: IO[Any]) -> Iterator[str]:
    """The stream's lines as text. A real stdin is read as bytes and decoded as UTF-8 line by line, so one badly
    encoded line is reported as such instead of ending the run."""
    source: Iterable[Any] = getattr(stream, "buffer", stream)
    for raw in source:
        if isinstance(raw, bytes):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield f"\x00{exc}"  # never valid JSON: reported as a bad line with the decoder's reason
        else:
            yield raw


def _parse(line: str) -> tuple[str, dict[str, list[str]] | None, str | None]:
    if line.startswith("\x00"):
        raise BadLine(f"not UTF-8 ({line[1:]})")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise BadLine(f"expected a JSON object, got {type(data).__name__}")
    text = data.get("text")
    if not isinstance(text, str):
        raise BadLine('missing string "text"' if text is None else f'"text" must be a string, got {type(text).__name__}')
    known = data.get("known")
    if known is not None:
        if not isinstance(known, dict):
            raise BadLine('"known" must be an object like {"PERSON": ["Jane Doe"]}')
        for typ, values in known.items():
            if typ not in PII_TYPES:
                raise BadLine(f'unknown type {typ!r} in "known"; expected one of {", ".join(PII_TYPES)}')
            if isinstance(values, str):
                known[typ] = [values]
            elif not isinstance(values, list) or not all(isinstance(v, str) for v in values):
                raise BadLine(f'"known".{typ} must be a string or a list of strings')
    region = data.get("region")
    if region is not None and not isinstance(region, str):
        raise BadLine('"region" must be a string such as "GB"')
    return text, known, region


class Command(BaseCommand):
    help = 'Redact PII from JSON lines on stdin ({"text": ...}); print what an LLM would receive, with the spans.'
    # call_command(..., stdin=StringIO(...)) for tests and callers that hold the input in memory.
    stealth_options = ("stdin",)
    requires_system_checks: list[str] = []  # a pure text tool: no database, no app checks needed

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--region", default=None,
            help="phone region for national-format numbers when a line gives none (default: REX_PII_DEFAULT_REGION)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            settle_after_startup()  # a long loop of detect() calls: the start-up objects need no more collecting
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        stream = options.get("stdin") or sys.stdin
        if options.get("stdout") is None and hasattr(sys.stdout, "reconfigure"):
            sys.stdout.reconfigure(encoding="utf-8")  # output is UTF-8 JSON whatever the terminal's locale says
        default = (options.get("region") or default_region()).upper()
        total = bad = 0
        for lineno, line in enumerate(_lines(stream), start=1):
            if not line.strip():
                continue
            total += 1
            try:
                text, known, region = _parse(line)
                redacted, spans = redact(text, known_values=known, region=region or default)
                out: dict[str, Any] = {"text": redacted, "spans": [s.as_dict() for s in spans]}
            except ValueError as exc:  # BadLine, or an unknown type in "known"
                bad += 1
                reason = f"line {lineno}: {exc}"
                out = {"error": reason}
                self.stderr.write(f"rex_redact: {reason}")
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            self.stdout.flush()
        if bad:
            raise CommandError(f"{bad} of {total} lines could not be redacted (see the error lines above)")
