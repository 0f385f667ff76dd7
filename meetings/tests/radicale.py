"""A real CalDAV server for the meetings tests: Radicale (PyPI, pinned) on a free port of 127.0.0.1, with a
throwaway storage folder and an htpasswd file, so the ``caldav`` client logs in with a real password.

One server per test session (``radicale`` fixture in meetings/tests/conftest.py); each test makes a calendar
collection of its own (``new_calendar``), so tests never see each other's events although they share the owner.
The server is stopped by its own pid at teardown and its folder removed.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import caldav
import icalendar

from ops.net import free_port, http_answers

HOST = "127.0.0.1"
USER, PASSWORD = "owner", "calendar-secret"
START_TIMEOUT_SECONDS = 60.0  # a loaded shared machine starts Python slowly


class RadicaleServer:
    def __init__(self, root: Path, port: int, process: subprocess.Popen) -> None:
        self.root, self.port, self.process = root, port, process
        self.base_url = f"http://{HOST}:{port}/"

    def client(self) -> caldav.DAVClient:
        return caldav.DAVClient(url=self.base_url, username=USER, password=PASSWORD)

    def new_calendar(self) -> str:
        """A fresh calendar collection of the owner; its URL."""
        calendar = self.client().principal().make_calendar(name="work", cal_id=f"work-{uuid.uuid4().hex[:12]}")
        return str(calendar.url)

    def add_busy(self, url: str, start: dt.datetime, end: dt.datetime, summary: str = "busy") -> str:
        """An event on the owner's calendar, put there by someone else (the owner's own appointment)."""
        cal = icalendar.Calendar()
        cal.add("prodid", "-//tests//EN")
        cal.add("version", "2.0")
        event = icalendar.Event()
        uid = f"{uuid.uuid4()}@tests"
        event.add("uid", uid)
        event.add("dtstamp", dt.datetime.now(dt.UTC))
        event.add("dtstart", start)
        event.add("dtend", end)
        event.add("summary", summary)
        cal.add_component(event)
        self.client().calendar(url=url).save_event(cal.to_ical().decode())
        return uid

    def events(self, url: str) -> list[icalendar.Event]:
        """Every VEVENT stored in the collection, as the server holds it."""
        found = []
        for item in self.client().calendar(url=url).events():
            found.extend(icalendar.Calendar.from_ical(item.data).walk("VEVENT"))
        return found

    def log(self) -> str:
        path = self.root / "radicale.log"
        return path.read_text()[-3000:] if path.exists() else ""


@contextmanager
def running_radicale() -> Iterator[RadicaleServer]:
    root = Path(tempfile.mkdtemp(prefix="rex-radicale-"))
    (root / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    log = (root / "radicale.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "radicale", "--server-hosts", f"{HOST}:{port}",
         "--storage-filesystem-folder", str(root / "collections"), "--auth-type", "htpasswd",
         "--auth-htpasswd-filename", str(root / "users"), "--auth-htpasswd-encryption", "plain",
         "--rights-type", "owner_only", "--logging-level", "warning"],
        stdout=log, stderr=subprocess.STDOUT)
    server = RadicaleServer(root, port, process)
    try:
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not http_answers(HOST, port):
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"radicale did not start on {HOST}:{port}:\n{server.log()}")
            time.sleep(0.1)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(root, ignore_errors=True)
