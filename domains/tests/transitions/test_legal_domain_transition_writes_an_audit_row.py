import pytest
from django.utils import timezone

from domains.models import TRANSITIONS, Domain, DomainState, DomainTransition

LEGAL = [(source, target) for source in DomainState.values for target in sorted(TRANSITIONS[source])]


@pytest.mark.parametrize(("source", "target"), LEGAL)
def test_legal_domain_transition_writes_an_audit_row(make_domain, source, target):
    before = timezone.now()
    domain = make_domain("acme-1.example", state=source, dns_ok=True, state_changed_at=before.replace(year=2020))

    domain.transition(target, reason="ops decided", actor="alice")

    stored = Domain.objects.get(pk=domain.pk)
    assert stored.state == domain.state == target
    assert stored.state_changed_at >= before
    audit = DomainTransition.objects.get()
    assert (audit.domain_id, audit.from_state, audit.to_state, audit.reason, audit.actor) == (
        domain.pk, source, target, "ops decided", "alice")
    assert audit.at == stored.state_changed_at


def test_transition_applies_the_extra_updates_with_the_move(make_domain):
    domain = make_domain("acme-1.example", state=DomainState.WARMING)

    domain.transition(DomainState.RESTING, reason="bounces above 3%", incidents=1)

    assert Domain.objects.values_list("state", "incidents").get(pk=domain.pk) == ("resting", 1)
