from django.contrib.messages import get_messages
from django.urls import reverse

from domains.models import Domain, DomainState, DomainTransition


def _run_action(admin_client, action: str, *domains):
    return admin_client.post(reverse("admin:domains_domain_changelist"),
                             {"action": action, "_selected_action": [d.pk for d in domains]}, follow=True)


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_admin_retire_action_retires_and_reports_what_it_could_not(admin_client, make_domain):
    warming = make_domain("acme-1.example", state=DomainState.WARMING)
    retired = make_domain("acme-2.example", state=DomainState.RETIRED)

    response = _run_action(admin_client, "retire", warming, retired)

    assert response.status_code == 200
    assert Domain.objects.get(pk=warming.pk).state == DomainState.RETIRED
    audit = DomainTransition.objects.get()
    assert (audit.domain_id, audit.to_state, audit.actor) == (warming.pk, "retired", "admin")
    messages = _messages(response)
    assert "1 domain(s) retired." in messages
    assert any("cannot go from retired to retired" in m for m in messages)
