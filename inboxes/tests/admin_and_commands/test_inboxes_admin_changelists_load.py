from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from inboxes.models import DomainDay, InboxDay, OutboundMessage, Suppression
from inboxes.tests.caps_helpers import make_domain, make_inbox

CHANGELISTS = ["inbox", "inboxday", "domainday", "suppression", "outboundmessage"]


@pytest.fixture
def rows(organization):
    domain = make_domain(organization, "rows.example")
    inbox = make_inbox(domain, "sender")
    day = inbox.reserve_send()
    suppression = Suppression.objects.create(organization=organization, email="gone@client.example",
                                             reason=Suppression.Reason.UNSUBSCRIBE)
    message = OutboundMessage.objects.create(organization=organization, inbox=inbox,
                                             idempotency_key=f"email:{uuid.uuid4().hex}",
                                             to_address="bob@client.example", subject="Hello", transport="smtp")
    return {"inbox": inbox, "inboxday": InboxDay.objects.get(inbox=inbox, day=day),
            "domainday": DomainDay.objects.get(domain=domain, day=day), "suppression": suppression,
            "outboundmessage": message}


@pytest.mark.parametrize("model", CHANGELISTS)
def test_changelist_and_change_page_load(admin_client, rows, model):
    changelist = admin_client.get(reverse(f"admin:inboxes_{model}_changelist"))
    change = admin_client.get(reverse(f"admin:inboxes_{model}_change", args=[rows[model].pk]))

    assert changelist.status_code == 200
    assert change.status_code == 200
    assert reverse(f"admin:inboxes_{model}_change", args=[rows[model].pk]) in changelist.content.decode()


def test_inbox_changelist_shows_sends_against_today_limit(admin_client, rows):
    html = admin_client.get(reverse("admin:inboxes_inbox_changelist")).content.decode()

    assert "1 / 40" in html


@pytest.mark.parametrize("query", ["status=active", "provider=smtp", "domain__state__exact=in_use", "q=rows.example"])
def test_inbox_filters_and_search_find_the_inbox(admin_client, rows, query):
    html = admin_client.get(reverse("admin:inboxes_inbox_changelist") + "?" + query).content.decode()

    assert rows["inbox"].address in html


@pytest.mark.parametrize("model", ["inboxday", "domainday", "outboundmessage"])
def test_counters_and_outbound_log_are_read_only(admin_client, rows, model):
    assert admin_client.get(reverse(f"admin:inboxes_{model}_add")).status_code == 403
    html = admin_client.get(reverse(f"admin:inboxes_{model}_change", args=[rows[model].pk])).content.decode()
    assert 'name="_save"' not in html


def test_outbound_messages_are_searchable_by_idempotency_key(admin_client, rows):
    key = rows["outboundmessage"].idempotency_key
    html = admin_client.get(reverse("admin:inboxes_outboundmessage_changelist") + f"?q={key}").content.decode()

    assert "bob@client.example" in html
