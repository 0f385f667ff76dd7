from domains.models import DomainState
from domains.provisioning import start_warmup
from domains.tests.warmup_fleet import DAY0, make_domain
from inboxes.models import Inbox
from inboxes.warmup import utc_today


def test_start_warmup_starts_new_inboxes_of_a_domain_already_warming(organization):
    domain = make_domain(organization, state=DomainState.WARMING, warmup_limit=17, warmup_day=7)
    Inbox.objects.create(organization=organization, domain=domain, address=f"new@{domain.name}")

    start_warmup(domain, actor="agent:warmup")

    domain.refresh_from_db()
    assert domain.state == DomainState.WARMING and not domain.transitions.exists()
    ramp = {i.address.split("@")[0]: (i.status, i.warmup_limit, i.warmup_day, i.warmup_advanced_on)
            for i in domain.inboxes.all()}
    assert ramp == {"new": (Inbox.Status.WARMING, 5, 1, utc_today()), "rep0": (Inbox.Status.WARMING, 17, 7, DAY0)}
