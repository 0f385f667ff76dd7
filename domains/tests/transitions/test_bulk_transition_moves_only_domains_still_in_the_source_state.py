import pytest

from domains.models import Domain, DomainState, DomainTransition, IllegalDomainTransition


def test_bulk_transition_moves_only_domains_still_in_the_source_state(make_domain):
    a = make_domain("acme-1.example", state=DomainState.WARMING)
    b = make_domain("acme-2.example", state=DomainState.WARMING)
    moved_meanwhile = make_domain("acme-3.example", state=DomainState.WARMING)
    moved_meanwhile.transition(DomainState.RESTING, reason="bounces")

    moved = Domain.bulk_transition([a.pk, b.pk, moved_meanwhile.pk], DomainState.WARMING, DomainState.READY,
                                   reason="warmup complete", actor="warmup-engine")

    assert sorted(moved) == sorted([a.pk, b.pk])
    states = dict(Domain.objects.values_list("name", "state"))
    assert states == {"acme-1.example": "ready", "acme-2.example": "ready", "acme-3.example": "resting"}
    audit = DomainTransition.objects.filter(reason="warmup complete")
    assert sorted((t.domain_id, t.from_state, t.to_state, t.actor) for t in audit) == sorted(
        [(a.pk, "warming", "ready", "warmup-engine"), (b.pk, "warming", "ready", "warmup-engine")])


def test_illegal_bulk_transition_moves_nothing(make_domain):
    a = make_domain("acme-1.example", state=DomainState.PENDING)

    with pytest.raises(IllegalDomainTransition, match="from pending it may go to dns_pending, retired"):
        Domain.bulk_transition([a.pk], DomainState.PENDING, DomainState.READY, reason="skip ahead")

    assert Domain.objects.get(pk=a.pk).state == DomainState.PENDING
    assert not DomainTransition.objects.exists()


def test_bulk_transition_of_no_domains_does_nothing(db):
    assert Domain.bulk_transition([], DomainState.WARMING, DomainState.READY, reason="tick") == []
