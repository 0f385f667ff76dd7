"""``manage.py rex_redact`` shows compliance staff what an LLM would receive: one JSON line out per line in."""

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]

LINES = [
    {"text": "Mail jane.doe@acme.com or call +44 20 7946 0958."},
    {"text": "Hi Jane, your card 4111 1111 1111 1111 is on file.", "known": {"PERSON": ["Jane Doe"]}},
    {"text": "Ruf an: 030 1234567", "region": "DE"},
    {"text": "Nothing personal here, order #4532-1188-0093."},
]
EXPECTED = [
    {"text": "Mail <EMAIL_1> or call <PHONE_1>.",
     "spans": [{"type": "EMAIL", "start": 5, "end": 22}, {"type": "PHONE", "start": 31, "end": 47}]},
    {"text": "Hi <PERSON_1>, your card <CREDIT_CARD_1> is on file.",
     "spans": [{"type": "PERSON", "start": 3, "end": 7}, {"type": "CREDIT_CARD", "start": 19, "end": 38}]},
    {"text": "Ruf an: <PHONE_1>", "spans": [{"type": "PHONE", "start": 8, "end": 19}]},
    {"text": "Nothing personal here, order #4532-1188-0093.", "spans": []},
]
STDIN = "\n".join(json.dumps(line, ensure_ascii=False) for line in LINES[:2]) + "\n\n" + \
    "\n".join(json.dumps(line) for line in LINES[2:]) + "\n"


def test_call_command_writes_one_json_line_per_input_line_and_skips_blank_lines() -> None:
    out, err = StringIO(), StringIO()
    call_command("rex_redact", stdin=StringIO(STDIN), stdout=out, stderr=err)
    assert [json.loads(line) for line in out.getvalue().splitlines()] == EXPECTED
    assert err.getvalue() == ""
    for line, expected in zip(LINES, EXPECTED, strict=True):  # offsets are into the input text
        for span in expected["spans"]:
            assert line["text"][span["start"]:span["end"]] not in expected["text"]


def test_the_region_option_applies_to_lines_without_one() -> None:
    out = StringIO()
    call_command("rex_redact", "--region", "FR", stdin=StringIO('{"text": "au 01 23 45 67 89"}\n'), stdout=out)
    assert json.loads(out.getvalue()) == {"text": "au <PHONE_1>", "spans": [{"type": "PHONE", "start": 3, "end": 17}]}


def test_manage_py_rex_redact_reads_stdin_and_writes_stdout_as_a_real_process() -> None:
    env = {**os.environ, "PYTHONIOENCODING": "", "LC_ALL": "C"}  # output must be UTF-8 whatever the locale
    line = {"text": "Grüße an Jürgen: +49 30 1234567, jürgen@example.de", "known": {"PERSON": ["Jürgen Weiß"]}}
    done = subprocess.run(
        [sys.executable, "manage.py", "rex_redact"], cwd=ROOT, env=env, timeout=120,
        input=(STDIN + json.dumps(line, ensure_ascii=False) + "\n").encode(), capture_output=True, check=False,
    )
    assert done.returncode == 0, done.stderr.decode(errors="replace")
    outputs = [json.loads(line) for line in done.stdout.decode("utf-8").splitlines()]
    assert outputs[:4] == EXPECTED
    assert outputs[4] == {
        "text": "Grüße an <PERSON_1>: <PHONE_1>, <EMAIL_1>",
        "spans": [{"type": "PERSON", "start": 9, "end": 15}, {"type": "PHONE", "start": 17, "end": 31},
                  {"type": "EMAIL", "start": 33, "end": 50}],
    }
