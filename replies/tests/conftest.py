"""Fixtures of the replies tests: the sending world of the inboxes tests (a real SMTP server, an organization ready
to send, inboxes, contacts), re-exported, and ``seed.py``'s builders of inbound mail."""

from __future__ import annotations

import pytest

from inboxes.tests.conftest import (  # noqa: F401 - fixtures shared with the inboxes tests
    make_contact,
    make_inbox,
    sender,
    smtp_server,
)
from replies.tests.seed import seed_inbox


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
