"""CPU of an API request with and without the credentials cache (tenants.credentials), in-process, A/B.

Run with pytest (it borrows the test suite's database and fixtures; not collected by ``make test``, whose files
are ``test_*.py``):

    .venv/bin/python -m pytest -q -s -p no:cacheprovider bench/credentials_cache.py

Through Django's test client (the whole middleware and DRF stack, no network, no server): ``GET
/api/missions/status`` for 25 missions and ``GET /api/missions/<id>/``, in A/B pairs alternating in the same run:
A authenticates through the cache (one Redis read of its generation), B loads the token with its user and the
memberships with their organizations from PostgreSQL on every request, as before the cache. CPU time of this process
(``time.process_time``; the test client's share is in both arms, so compare them, not the absolutes). Printed:
median CPU ms of each arm and B / A.
"""

from __future__ import annotations

import statistics
import time

import pytest

from tenants import authentication, credentials

pytestmark = pytest.mark.django_db


def uncached(key_hash: str) -> credentials.Credentials | None:
    return credentials._load(key_hash)


def test_credentials_cache_cpu(api_client, monkeypatch) -> None:
    pairs = 200
    ids = ",".join(m["id"] for m in api_client.post("/api/rex/commands", {"commands": [
        {"type": "canary", "params": {"tag": f"c{i}"}} for i in range(25)]}, format="json").json()["missions"])
    one = ids.split(",")[0]

    def requests_cpu() -> tuple[float, float]:
        started = time.process_time()
        assert api_client.get(f"/api/missions/status?ids={ids}").status_code == 200
        status_cpu = time.process_time() - started
        started = time.process_time()
        assert api_client.get(f"/api/missions/{one}/").status_code == 200
        return status_cpu, time.process_time() - started

    def arm(cached: bool) -> tuple[float, float]:
        with monkeypatch.context() as patch:
            if not cached:
                patch.setattr(authentication, "credentials_for", uncached)
            return requests_cpu()

    for _ in range(20):  # warm-up
        arm(True), arm(False)
    a_status, a_detail, b_status, b_detail = [], [], [], []
    for _ in range(pairs):
        status, detail = arm(True)
        a_status.append(status), a_detail.append(detail)
        status, detail = arm(False)
        b_status.append(status), b_detail.append(detail)

    def ms(values: list[float]) -> float:
        return statistics.median(values) * 1000

    print(f"\n{pairs} A/B pairs, median CPU ms of this process")
    print(f"  GET /api/missions/status (25 ids)  A (cached) {ms(a_status):5.2f}   B (uncached) {ms(b_status):5.2f}   "
          f"B / A {ms(b_status) / ms(a_status):.2f}")
    print(f"  GET /api/missions/<id>/            A (cached) {ms(a_detail):5.2f}   B (uncached) {ms(b_detail):5.2f}   "
          f"B / A {ms(b_detail) / ms(a_detail):.2f}")
