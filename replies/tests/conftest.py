"""Fixtures of the replies tests: the sending world of the inboxes tests (a real SMTP server, an organization ready
to send, inboxes, contacts), ``seed.py``'s builders of inbound mail, and a real Dovecot IMAP server
(``replies.tests.dovecot``) that inboxes read their replies from.

``dovecot`` is one server for the whole session; every inbox made by ``make_imap_inbox`` logs in as a mail user of
its own (a fresh name each time), so tests never see each other's mail although the database is rolled back
between them and inbox addresses repeat.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from inboxes.tests.conftest import (  # noqa: F401 - fixtures shared with the inboxes tests
    make_contact,
    make_inbox,
    sender,
    smtp_server,
)
from replies.tests.dovecot import DovecotServer, dovecot_binary, running_dovecot
from replies.tests.seed import seed_inbox


@pytest.fixture(scope="session")
def dovecot() -> Iterator[DovecotServer]:
    """A running Dovecot on 127.0.0.1 (``host``, ``port``, ``add_user``, ``append``, ``flags``, ``set_uidvalidity``)."""
    if dovecot_binary() is None:
        # The suite runs against real services and never skips one it cannot get (README: `make test`).
        pytest.fail("dovecot is not installed: run `sh scripts/ensure_dovecot.sh` (make test does)", pytrace=False)
    with running_dovecot() as server:
        yield server


@pytest.fixture(scope="module")
def dovecot_tls() -> Iterator[DovecotServer]:
    """A second Dovecot speaking TLS: implicit on ``tls_port``, STARTTLS on ``port``; its CA is ``ca_file``."""
    if dovecot_binary() is None:
        pytest.fail("dovecot is not installed: run `sh scripts/ensure_dovecot.sh` (make test does)", pytrace=False)
    with running_dovecot(tls=True) as server:
        yield server


@pytest.fixture
def make_imap_inbox(make_inbox, dovecot, settings) -> Callable[..., Any]:  # noqa: F811
    """An inbox reading a fresh Dovecot mail user over plain IMAP: ``make_imap_inbox(imap_mark_seen=True, ...)``.

    ``imap_password=`` logs in with another password than the mail user's (a wrong one); the user's own is
    ``"secret-<name>"``. The mail user is ``inbox.imap_username``. ``server=dovecot_tls`` reads the TLS Dovecot.
    """
    settings.REX_IMAP_TIMEOUT_SECONDS = 10

    def make(*, imap_password: str | None = None, server: DovecotServer | None = None, **fields: Any) -> Any:
        server = server or dovecot
        user = f"u{uuid.uuid4().hex[:12]}"
        server.add_user(user, f"secret-{user}")
        values: dict[str, Any] = {"imap_host": server.host, "imap_port": server.port, "imap_security": "none",
                                  "imap_username": user}
        values.update(fields)
        password = f"secret-{user}" if imap_password is None else imap_password
        return make_inbox(password=password, **values)

    return make


@pytest.fixture
def seeded(sender, make_inbox):  # noqa: F811
    """``seed.seed_inbox`` on two inboxes of the organization (SMTP on an unused port: nothing is sent)."""
    return seed_inbox(sender, make_inbox(), make_inbox())


@pytest.fixture
def smtp_seeded(sender, make_inbox, smtp_server):  # noqa: F811
    """``seed.seed_inbox`` on two inboxes that send to a real SMTP server (``.smtp``, its received mail)."""
    server = smtp_server()
    world = seed_inbox(sender, make_inbox(smtp_port=server.port), make_inbox(smtp_port=server.port))
    world.smtp = server
    return world
