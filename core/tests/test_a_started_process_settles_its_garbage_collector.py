"""``core.processes.settle_after_startup``: what a started process holds is frozen out of the collector's reach and
the young generation's threshold becomes ``REX_GC_GEN0_THRESHOLD`` (10 000 unless set; 0 keeps Python's own); a
value that is not a whole number >= 0 is refused in one line, also by ``manage.py rex_redact``. The Celery pool
process and the web worker settle once started."""

import gc
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from celery import signals
from django.core.management import CommandError, call_command

from core import processes

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restored_gc():
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_settling_freezes_what_is_alive_and_raises_the_young_threshold(restored_gc, monkeypatch):
    monkeypatch.delenv("REX_GC_GEN0_THRESHOLD", raising=False)
    gc.unfreeze()
    long_lived = [{"kept": i} for i in range(1000)]

    processes.settle_after_startup()

    assert gc.get_freeze_count() >= len(long_lived)
    assert gc.get_threshold()[0] == 10_000
    assert all(not any(obj is item for item in long_lived) for obj in gc.get_objects())


def test_zero_keeps_pythons_own_threshold_and_still_freezes(restored_gc, monkeypatch):
    monkeypatch.setenv("REX_GC_GEN0_THRESHOLD", "0")
    gc.set_threshold(700, 10, 10)

    processes.settle_after_startup()

    assert gc.get_threshold() == (700, 10, 10)
    assert gc.get_freeze_count() > 0


@pytest.mark.parametrize("value", ["-1", "lots", "1.5"])
def test_a_threshold_that_is_not_a_whole_number_is_refused_in_one_line(value, monkeypatch):
    monkeypatch.setenv("REX_GC_GEN0_THRESHOLD", value)

    with pytest.raises(ValueError, match="REX_GC_GEN0_THRESHOLD must be a whole number >= 0"):
        processes.gen0_threshold()
    with pytest.raises(CommandError, match="REX_GC_GEN0_THRESHOLD"):
        call_command("rex_redact", stdin=io.StringIO(""), stdout=io.StringIO())


def test_the_pool_process_and_the_web_worker_settle_once_started():
    receivers = [receiver() for _, receiver in signals.worker_process_init.receivers]
    assert any(getattr(r, "__name__", "") == "_settle_pool_process" for r in receivers)
    # A web worker imports the ASGI module itself; once it has, the process is settled.
    done = subprocess.run(
        [sys.executable, "-c", "import gc, rex_project.asgi; print(gc.get_threshold()[0], gc.get_freeze_count() > 0)"],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "REX_GC_GEN0_THRESHOLD": "12345"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["12345", "True"]
