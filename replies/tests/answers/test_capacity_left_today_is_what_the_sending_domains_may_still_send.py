""""capacity left today": per sending domain, the smaller of its cap and its inboxes' limits minus what it sent
today (the Domains page's own figures), summed; "per domain" as a table; a paused domain has none left."""

import pytest
from django.utils import timezone

from domains.models import DomainState
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import DomainDay, InboxDay
from missions.decision import do_command

pytestmark = pytest.mark.django_db


def ask(organization, text):
    return do_command({"command": text}, organization=organization).decision.answer


def test_capacity_left_is_the_limits_minus_todays_sends(organization):
    today = timezone.now().date()
    busy = create_domain(organization, "busy.example", client="acme", state=DomainState.IN_USE, daily_cap=100)
    [first, second] = add_inboxes(busy, 2, daily_cap=30)
    InboxDay.objects.create(inbox=first, day=today, sent=12)
    DomainDay.objects.create(domain=busy, day=today, sent=12)
    quiet = create_domain(organization, "quiet.example", client="globex", state=DomainState.READY, daily_cap=100)
    add_inboxes(quiet, 1, daily_cap=40)
    resting = create_domain(organization, "resting.example", client="globex", state=DomainState.RESTING)
    add_inboxes(resting, 1, daily_cap=40)

    total = ask(organization, "capacity left today")
    assert (total["kind"], total["value"], total["unit"]) == ("number", 48 + 40, "emails")
    assert total["detail"] == "over 2 sending domains"

    table = ask(organization, "capacity left today per domain")
    assert (table["columns"], table["rows"]) == (["domain", "emails left"], [["busy.example", 48], ["quiet.example", 40]])

    assert ask(organization, "capacity left for acme")["value"] == 48
    assert ask(organization, f"capacity left today for inbox {second.address}")["value"] == 30
