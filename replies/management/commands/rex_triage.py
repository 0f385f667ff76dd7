"""``manage.py rex_triage``: triage whole messages given on stdin, one JSON line in, one JSON line out.

Input, one object per line: ``{"raw": "<the whole RFC 5322 message>"}``. Output, in the same order::

    {"category": "bounce", "layer": "rules",
     "bounce": {"class": "hard", "recipient": "a@b.c", "status": "5.1.1", "reason": "..."},
     "return_date": null, "referral": null}

``layer`` is "rules", "llm" or "review"; ``return_date`` is "YYYY-MM-DD" for an out-of-office that names one;
``referral`` is ``{"email", "name"}`` for a referral. This shape is a contract read by checks outside the test
suite: keep its names exactly. Blank lines are skipped. A line that cannot be read (not JSON, no string "raw",
not a message) gets ``{"error": "line N: ..."}`` in its place, so outputs stay aligned with inputs; the command
still answers every line, then exits with status 1.

No LLM by default. ``--llm --organization SLUG`` lets the rules' undecided messages go to the LLM through the
gateway (pseudonymised, audited under that organization): giving the flag is the operator's statement that the
senders consented, since a bare message is matched to no contact whose ``llm_consent`` could be read. A message
whose text names one of the organization's contacts (by address or phone) without LLM consent is still not sent:
it comes out as "review".
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO, Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from replies.triage import UnreadableMessage, triage_raw


class BadLine(ValueError):
    """The input line cannot be triaged; the message says why."""


def _lines(stream: IO[Any]) -> Iterator[str]:
    """The stream's lines as text; a line that is not UTF-8 is reported as such instead of ending the run."""
    source: Iterable[Any] = getattr(stream, "buffer", stream)
    for raw in source:
        if isinstance(raw, bytes):
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield f"\x00{exc}"
        else:
            yield raw


def _raw_of(line: str) -> bytes:
    if line.startswith("\x00"):
        raise BadLine(f"not UTF-8 ({line[1:]})")
    try:
        data = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BadLine(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise BadLine(f"expected a JSON object, got {type(data).__name__}")
    raw = data.get("raw")
    if not isinstance(raw, str):
        raise BadLine('missing string "raw"' if raw is None else f'"raw" must be a string, got {type(raw).__name__}')
    # JSON carries text; a message's 8-bit bytes come back as they were sent when they were decoded as UTF-8.
    return raw.encode("utf-8", errors="surrogateescape")


class Command(BaseCommand):
    help = 'Triage messages read as JSON lines {"raw": "<RFC 5322 message>"} on stdin; one JSON line out per line in.'
    # call_command(..., stdin=StringIO(...)) for tests and callers that hold the input in memory.
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--llm", action="store_true",
                            help="send messages the rules cannot place to the LLM (pseudonymised); needs --organization")
        parser.add_argument("--organization", help="slug of the organization the LLM calls are audited under")
        parser.add_argument("--today", help="the date relative dates are read against (YYYY-MM-DD; default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        today = date.fromisoformat(options["today"]) if options.get("today") else date.today()
        llm = None
        if options["llm"]:
            if not options.get("organization"):
                raise CommandError("--llm needs --organization SLUG (every LLM call is audited under one)")
            from replies.triage.llm import GatewayClassifier
            from tenants.models import Organization

            try:
                organization = Organization.objects.get(slug=options["organization"])
            except Organization.DoesNotExist:
                raise CommandError(f"no organization with slug {options['organization']!r}") from None
            llm = GatewayClassifier(organization, consent=True)

        out = self.stdout
        failed = total = 0
        for number, line in enumerate(_lines(options.get("stdin") or sys.stdin), start=1):
            if not line.strip():
                continue
            total += 1
            try:
                result = triage_raw(_raw_of(line), today=today, llm=llm, llm_allowed=llm is not None).as_dict()
            except (BadLine, UnreadableMessage) as exc:
                failed += 1
                result = {"error": f"line {number}: {exc}"}
                self.stderr.write(f"rex_triage: {result['error']}")
            out.write(json.dumps(result, ensure_ascii=False))
            out.flush()
        if failed:
            # After every line was answered: CommandError makes manage.py exit with status 1.
            raise CommandError(f"{failed} of {total} lines could not be triaged (see the error lines above)")
