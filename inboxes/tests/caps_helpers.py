"""Builders for the caps, crypto and admin tests: a domain and its inboxes in a given state."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TypeVar

from django.db import connections

from domains.models import Domain, DomainState
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import Inbox
from tenants.models import Organization

T = TypeVar("T")
R = TypeVar("R")


def make_domain(organization: Organization, name: str = "mail-acme.example", *, state: str = DomainState.IN_USE,
                daily_cap: int = 150) -> Domain:
    return create_domain(organization, name, state=state, daily_cap=daily_cap)


def make_inbox(domain: Domain, local_part: str = "sales", *, status: str = Inbox.Status.ACTIVE, daily_cap: int = 40,
               warmup_limit: int = 0, warmup_day: int = 0, tz: str = "UTC") -> Inbox:
    [inbox] = add_inboxes(domain, local_part=local_part, status=status, daily_cap=daily_cap,
                          warmup_limit=warmup_limit, warmup_day=warmup_day, timezone=tz)
    return inbox


def run_at_once(prepares: list[Callable[[], T]], act: Callable[[T], R]) -> list[R]:
    """One thread per ``prepares`` entry, each on its own database connection: it prepares (reading a row opens
    the connection before the start), waits at a barrier with the others, then acts; the acts' outcomes.

    An exception in a thread fails the caller (it is not lost in the thread); a thread stuck for two minutes too.
    """
    barrier = threading.Barrier(len(prepares))
    outcomes: list[R] = []
    errors: list[Exception] = []
    lock = threading.Lock()

    def worker(prepare: Callable[[], T]) -> None:
        try:
            prepared = prepare()
            barrier.wait(timeout=60)
            outcome = act(prepared)
            with lock:
                outcomes.append(outcome)
        except Exception as exc:  # noqa: BLE001 (reported by the caller, not lost in the thread)
            with lock:
                errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(prepare,)) for prepare in prepares]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not any(thread.is_alive() for thread in threads), "a worker is stuck"
    assert not errors, errors
    return outcomes
