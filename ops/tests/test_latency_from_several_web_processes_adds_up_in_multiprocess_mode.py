"""With PROMETHEUS_MULTIPROC_DIR set, each web process writes its latency histogram to that directory and a scrape
adds every process's up; ``prepare_multiprocess_dir`` clears a previous run's files, and ``mark_worker_dead`` keeps
what a dead worker served."""

import subprocess
import sys

import pytest
from prometheus_client.parser import text_string_to_metric_families

from conftest import ROOT, child_env
from ops.metrics import render_metrics
from ops.metrics_files import mark_worker_dead, prepare_multiprocess_dir

pytestmark = pytest.mark.django_db

# A web worker process: Django with the project's middleware, serving a few requests for a path no URL matches.
SERVE = """
import os, sys
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rex_project.settings")
django.setup()
from django.test import Client
for _ in range(int(sys.argv[1])):
    assert Client().get("/no/such/page", HTTP_HOST="127.0.0.1").status_code == 404
print(os.getpid())
"""


def serve_requests(count: int, directory) -> int:
    done = subprocess.run([sys.executable, "-c", SERVE, str(count)], cwd=ROOT, capture_output=True, text=True,
                          env=child_env(PROMETHEUS_MULTIPROC_DIR=str(directory)), timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    return int(done.stdout.split()[-1])


def unmatched_requests(exposition: bytes) -> float:
    for family in text_string_to_metric_families(exposition.decode()):
        for sample in family.samples:
            if (sample.name == "rex_http_request_duration_seconds_count"
                    and sample.labels == {"route": "<unmatched>", "method": "GET", "status": "404"}):
                return sample.value
    return 0


def test_two_processes_requests_add_up_and_outlive_the_processes(tmp_path, monkeypatch):
    directory = tmp_path / "prometheus"
    directory.mkdir()
    (directory / "histogram_424242.db").write_bytes(b"left by the previous run")
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(directory))

    assert prepare_multiprocess_dir() == directory
    assert list(directory.iterdir()) == []

    first = serve_requests(2, directory)
    second = serve_requests(3, directory)
    body, _ = render_metrics(None)
    assert unmatched_requests(body) == 5

    mark_worker_dead(first)
    mark_worker_dead(second)
    body, _ = render_metrics(None)
    assert unmatched_requests(body) == 5
    assert b'rex_metrics_source_up{source="missions"} 1.0' in body  # the database figures are there too


def test_without_the_setting_there_is_nothing_to_prepare(monkeypatch):
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)

    assert prepare_multiprocess_dir() is None
    mark_worker_dead(12345)  # a no-op, not an error, in single-process mode
