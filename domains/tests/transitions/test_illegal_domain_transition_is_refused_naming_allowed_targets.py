import pytest

from domains.models import TRANSITIONS, Domain, DomainState, DomainTransition, IllegalDomainTransition

ILLEGAL = [(source, target) for source in DomainState.values for target in DomainState.values
           if target not in TRANSITIONS[source]]


@pytest.mark.parametrize(("source", "target"), ILLEGAL)
def test_illegal_domain_transition_is_refused_naming_allowed_targets(make_domain, source, target):
    domain = make_domain("acme-1.example", state=source, dns_ok=True)

    with pytest.raises(IllegalDomainTransition) as refused:
        domain.transition(target, reason="test", actor="tester")

    allowed = ", ".join(sorted(TRANSITIONS[source])) or "nothing (final state)"
    assert str(refused.value) == (f"domain acme-1.example cannot go from {source} to {target}; "
                                  f"from {source} it may go to {allowed}")
    assert Domain.objects.get(pk=domain.pk).state == source
    assert domain.state == source
    assert not DomainTransition.objects.exists()


def test_every_state_has_a_row_in_the_transition_table():
    assert set(TRANSITIONS) == set(DomainState.values)
    assert len(ILLEGAL) == 64 - sum(len(targets) for targets in TRANSITIONS.values())
