"""Several assignments racing on one pool (PostgreSQL, each on its own connection) never hand the same domain to
two campaigns and never put more of the pool's domains in use than its quota allows."""

import threading

import pytest
from django.db import connection

from campaigns.assignment import NothingAvailable, assign_domains
from campaigns.models import Campaign
from domains.models import Domain, DomainState, DomainTransition
from domains.tests.assignment_helpers import pool, ready_domain

ASSIGNERS = 6
QUOTA = 5  # room for two assignments of two; six domains are ready, so supply alone would allow three


@pytest.mark.django_db(transaction=True)
def test_racing_assignments_share_nothing_and_respect_the_quota(organization):
    acme = pool(organization, quota=QUOTA)
    for n in range(6):
        ready_domain(acme, f"acme-{n}.example")
    campaigns = [Campaign.named(organization, f"campaign-{n}") for n in range(ASSIGNERS)]
    start = threading.Barrier(ASSIGNERS, timeout=60)  # a stuck thread fails the test instead of hanging it
    won: dict[str, list[str]] = {}
    refused: dict[str, NothingAvailable] = {}
    errors: list[BaseException] = []

    def assign(campaign: Campaign) -> None:
        try:
            start.wait()
            domains = assign_domains(organization, campaign=campaign, count=2, pool=acme, actor=campaign.slug)
            won[campaign.slug] = [d.name for d in domains]
        except NothingAvailable as exc:
            refused[campaign.slug] = exc
        except BaseException as exc:  # noqa: BLE001 - reported by the main thread
            errors.append(exc)
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=assign, args=(campaign,)) for campaign in campaigns]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert len(won) == 2, (won, {slug: str(exc) for slug, exc in refused.items()})
    assert len(refused) == ASSIGNERS - 2
    handed_out = [name for names in won.values() for name in names]
    assert len(handed_out) == len(set(handed_out)) == 4
    in_use = Domain.objects.filter(pool=acme, state=DomainState.IN_USE)
    assert in_use.count() == 4 <= QUOTA
    for slug, names in won.items():
        assert sorted(in_use.filter(campaign__slug=slug).values_list("name", flat=True)) == sorted(names)
    assert DomainTransition.objects.filter(to_state=DomainState.IN_USE).count() == 4
    for exc in refused.values():
        assert str(exc) == f"quota of {QUOTA} domains in use for pool acme leaves room for 1 more (4 in use), 2 asked"
