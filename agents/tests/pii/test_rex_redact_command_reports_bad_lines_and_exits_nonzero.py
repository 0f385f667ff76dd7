"""A bad input line gets an error line in its place (outputs stay aligned), a message on stderr, and the command
carries on, then fails at the end."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

ROOT = Path(__file__).resolve().parents[3]

STDIN = "\n".join([
    '{"text": "mail jane@acme.com"}',
    "this is not json",
    '["text", "a list"]',
    '{"txt": "typo in the key"}',
    '{"text": 42}',
    '{"text": "x", "known": {"NAME": ["Jane"]}}',
    '{"text": "x", "known": ["Jane"]}',
    '{"text": "call +1 415 555 0132"}',
]) + "\n"

EXPECTED = [
    {"text": "mail <EMAIL_1>", "spans": [{"type": "EMAIL", "start": 5, "end": 18}]},
    {"error": "line 2: not valid JSON (Expecting value at column 1)"},
    {"error": "line 3: expected a JSON object, got list"},
    {"error": 'line 4: missing string "text"'},
    {"error": 'line 5: "text" must be a string, got int'},
    {"error": "line 6: unknown type 'NAME' in \"known\"; expected one of EMAIL, PHONE, CREDIT_CARD, IBAN, US_SSN, "
              "IP_ADDRESS, PERSON, ORGANIZATION, STREET_ADDRESS"},
    {"error": 'line 7: "known" must be an object like {"PERSON": ["Jane Doe"]}'},
    {"text": "call <PHONE_1>", "spans": [{"type": "PHONE", "start": 5, "end": 20}]},
]


def test_bad_lines_are_reported_in_place_and_the_command_fails_at_the_end() -> None:
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="6 of 8 lines could not be redacted"):
        call_command("rex_redact", stdin=StringIO(STDIN), stdout=out, stderr=err)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == EXPECTED
    messages = err.getvalue().splitlines()
    assert len(messages) == 6
    assert messages[0] == "rex_redact: line 2: not valid JSON (Expecting value at column 1)"


def test_the_real_process_exits_with_status_1_after_answering_every_line() -> None:
    done = subprocess.run(
        [sys.executable, "manage.py", "rex_redact"], cwd=ROOT, env=dict(os.environ), timeout=120,
        input=STDIN.encode() + b'{"text": "bad \xff byte"}\n', capture_output=True, check=False,
    )
    assert done.returncode == 1
    outputs = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert outputs[:8] == EXPECTED
    assert outputs[8]["error"].startswith("line 9: not UTF-8")
    stderr = done.stderr.decode("utf-8", errors="replace")
    assert "rex_redact: line 2: not valid JSON" in stderr
    assert "7 of 9 lines could not be redacted" in stderr
