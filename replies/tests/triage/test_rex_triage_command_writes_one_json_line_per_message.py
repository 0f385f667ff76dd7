"""``manage.py rex_triage``: JSON lines {"raw": ...} in, one JSON line out per input line, in order, with exactly
the contract's keys; an unreadable line gets {"error": ...} in its place and the command exits 1 after answering
every line."""

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from replies.tests.corpus import load
from replies.tests.triage.messages import reply

ROOT = Path(__file__).resolve().parents[3]
KEYS = {"category", "layer", "bounce", "return_date", "referral"}


def run(lines: list[str]) -> tuple[list[dict], CommandError | None]:
    out = StringIO()
    try:
        call_command("rex_triage", stdin=StringIO("".join(line + "\n" for line in lines)), stdout=out,
                     stderr=StringIO())
        error = None
    except CommandError as exc:
        error = exc
    return [json.loads(line) for line in out.getvalue().splitlines()], error


def line_of(raw: bytes) -> str:
    return json.dumps({"raw": raw.decode("utf-8")})


def first_of(category: str) -> bytes:
    return next(s.raw for s in load("tune") if s.label["file"].startswith("human/") and s.label["category"] == category)


@pytest.mark.parametrize("category", ["unsubscribe", "not_interested", "interested", "question", "other"])
def test_a_human_category_has_the_contract_shape(category):
    [answer], error = run([line_of(first_of(category))])

    assert error is None
    assert answer == {"category": category, "layer": "rules", "bounce": None, "return_date": None, "referral": None}


def test_a_referral_carries_the_new_person():
    [answer], _ = run([line_of(reply("You should reach out to Jane Roe (jane.roe@initech.example)."))])

    assert set(answer) == KEYS
    assert (answer["category"], answer["referral"]) == ("referral", {"email": "jane.roe@initech.example",
                                                                     "name": "Jane Roe"})


def test_an_unclear_reply_is_left_for_review_without_an_llm():
    [answer], _ = run([line_of(reply("Hmm. Maybe after the summer."))])

    assert (answer["category"], answer["layer"]) == ("needs_review", "review")


def test_a_bounce_has_its_class_recipient_status_and_reason():
    bounce = next(s.raw for s in load() if s.label["category"] == "bounce")

    [answer], _ = run([line_of(bounce)])

    assert set(answer) == KEYS and answer["category"] == "bounce" and answer["layer"] == "rules"
    assert set(answer["bounce"]) == {"class", "recipient", "status", "reason"}
    assert answer["bounce"]["class"] in ("hard", "soft", "infrastructure")


def test_unreadable_lines_get_an_error_in_their_place_and_the_run_fails_at_the_end():
    good = line_of(first_of("interested"))

    answers, error = run([good, "not json", '{"no_raw": 1}', '{"raw": "not a message"}', "", good])

    assert len(answers) == 5  # the blank line is skipped
    assert answers[0]["category"] == answers[4]["category"] == "interested"
    assert [set(a) for a in answers[1:4]] == [{"error"}] * 3
    assert answers[1]["error"].startswith("line 2:")
    assert error is not None and "3 of 5" in str(error)


def test_the_real_command_exits_1_after_writing_every_line():
    stdin = line_of(first_of("other")) + "\nnot json\n" + line_of(first_of("question")) + "\n"

    done = subprocess.run([sys.executable, "manage.py", "rex_triage"], input=stdin.encode(), capture_output=True,
                          cwd=ROOT, timeout=120)

    assert done.returncode == 1, done.stderr.decode()
    answers = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [a.get("category", "error") for a in answers] == ["other", "error", "question"]
