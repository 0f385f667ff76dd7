import threading

import pytest
from django.db import connection

from domains.models import Domain, DomainPool, DomainState, DomainTransition, IllegalDomainTransition


@pytest.mark.django_db(transaction=True)  # each thread has its own PostgreSQL connection and transaction
def test_only_one_of_two_concurrent_transitions_wins(organization):
    pool = DomainPool.objects.create(organization=organization, name="Acme main")
    rounds = 10
    domains = [Domain.objects.create(organization=organization, pool=pool, name=f"acme-{i}.example",
                                     state=DomainState.READY) for i in range(rounds)]
    outcomes: dict[int, list[str]] = {d.pk: [] for d in domains}

    def move(pk: int, target: str, barrier: threading.Barrier) -> None:
        try:
            copy = Domain.objects.get(pk=pk)  # both threads read it in "ready"
            barrier.wait(10)
            try:
                copy.transition(target, reason=f"race to {target}", actor=target)
                outcomes[pk].append(f"won:{target}")
            except IllegalDomainTransition as exc:
                outcomes[pk].append(f"refused:{exc}")
        finally:
            connection.close()

    for domain in domains:
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=move, args=(domain.pk, target, barrier))
                   for target in (DomainState.IN_USE, DomainState.RESTING)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)

    for domain in domains:
        won = [o for o in outcomes[domain.pk] if o.startswith("won:")]
        refused = [o for o in outcomes[domain.pk] if o.startswith("refused:")]
        assert len(won) == 1 and len(refused) == 1, outcomes[domain.pk]
        winner = won[0].removeprefix("won:")
        assert Domain.objects.get(pk=domain.pk).state == winner
        # The loser is told the state the domain is really in now.
        assert f"cannot go from {winner} to" in refused[0]
        audit = DomainTransition.objects.filter(domain=domain)
        assert [(a.from_state, a.to_state) for a in audit] == [("ready", winner)]
