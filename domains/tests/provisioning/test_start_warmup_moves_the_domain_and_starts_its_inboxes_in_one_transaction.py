"""The domain's move to warming and its inboxes' start are one transaction, though the inboxes app does the second
half through the starter it registered with ``domains.provisioning``: if starting the inboxes fails, the domain
stays in dns_pending with no transition recorded, and a re-run starts both."""

import pytest

from domains import provisioning
from domains.models import DomainState
from domains.provisioning import start_warmup
from domains.tests.warmup_fleet import make_domain
from inboxes.models import Inbox
from inboxes.warmup import start_pending_inboxes


def test_inboxes_app_registers_its_starter():
    assert provisioning._inbox_starter is start_pending_inboxes


def test_a_failing_inbox_start_leaves_the_domain_where_it_was(organization, monkeypatch):
    domain = make_domain(organization, state=DomainState.DNS_PENDING, inboxes=2, inbox_status=Inbox.Status.PENDING)

    def fail_after_starting(started_domain):
        start_pending_inboxes(started_domain)
        raise RuntimeError("inbox start failed")

    monkeypatch.setattr(provisioning, "_inbox_starter", fail_after_starting)
    with pytest.raises(RuntimeError, match="inbox start failed"):
        start_warmup(domain, actor="agent:warmup")

    domain.refresh_from_db()
    assert domain.state == DomainState.DNS_PENDING and not domain.transitions.exists()
    assert set(domain.inboxes.values_list("status", flat=True)) == {Inbox.Status.PENDING}

    monkeypatch.undo()
    start_warmup(domain, actor="agent:warmup")

    domain.refresh_from_db()
    assert domain.state == DomainState.WARMING
    assert set(domain.inboxes.values_list("status", flat=True)) == {Inbox.Status.WARMING}
