"""REX_LOG_FORMAT=json writes one JSON object per line (timestamp, level, logger, message, request_id, mission_id
when known, the traceback); the default text format stays a one-liner, with the ids in brackets when known."""

import io
import json
import logging
import subprocess
import sys
from datetime import datetime

import pytest

from conftest import ROOT, child_env
from core.logs import JsonFormatter, RequestContextFilter, TextFormatter
from core.request_context import mission_bound, request_id_bound


def lines_logged(formatter: logging.Formatter, write) -> list[str]:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("rex.test.logs")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        write(logger)
    finally:
        logger.removeHandler(handler)
        logger.propagate = True
    return stream.getvalue().splitlines()


def write_three(logger: logging.Logger) -> None:
    logger.info("outside any request")
    with request_id_bound("req-42"), mission_bound("7c9e6679-7425-40de-944b-e07fc1f90ae7"):
        logger.warning("working on it: %s", "a\nsecond line")
        try:
            raise ValueError("boom")
        except ValueError:
            logger.exception("it failed")


def test_json_lines_parse_with_the_context_fields():
    lines = lines_logged(JsonFormatter(), write_three)

    assert len(lines) == 3  # the newline in a message, and the traceback, stay inside their line
    outside, working, failed = (json.loads(line) for line in lines)
    assert outside["message"] == "outside any request"
    assert outside["request_id"] is None and "mission_id" not in outside
    assert working == {
        "timestamp": working["timestamp"], "level": "WARNING", "logger": "rex.test.logs",
        "message": "working on it: a\nsecond line", "request_id": "req-42",
        "mission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    }
    assert datetime.fromisoformat(working["timestamp"]).utcoffset().total_seconds() == 0
    assert failed["level"] == "ERROR" and "ValueError: boom" in failed["exception"]


def test_text_lines_show_the_ids_only_when_known():
    lines = lines_logged(TextFormatter(), write_three)

    assert lines[0].endswith("INFO rex.test.logs: outside any request")
    assert "WARNING rex.test.logs [req=req-42 mission=7c9e6679-7425-40de-944b-e07fc1f90ae7]: working on it" in lines[1]


@pytest.mark.parametrize("log_format", ["json", "text"])
def test_the_setting_chooses_the_format_of_every_process(log_format):
    script = ("import django, logging, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'rex_project.settings'); "
              "django.setup(); logging.getLogger('missions.runner').warning('from a configured process')")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env=child_env(REX_LOG_FORMAT=log_format))

    assert done.returncode == 0, done.stderr[-3000:]
    line = done.stderr.strip().splitlines()[-1]
    if log_format == "json":
        assert json.loads(line)["message"] == "from a configured process"
        assert json.loads(line)["logger"] == "missions.runner"
    else:
        assert line.endswith("WARNING missions.runner: from a configured process")
