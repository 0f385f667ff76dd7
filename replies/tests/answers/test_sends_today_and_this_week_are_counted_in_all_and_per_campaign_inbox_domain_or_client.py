""""how many emails did we send today / this week" counts the messages sent in that window (UTC days, the week
from Monday): one number in all or for one target, a table per campaign, inbox, domain or client. Messages not
sent (failed, suppressed) and those outside the window do not count."""

from datetime import timedelta

import pytest

from inboxes.models import OutboundMessage
from replies.tests.answers.outreach import NOW, ask, identities, send

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent(organization):
    acme, globex, campaign = identities(organization)
    send(acme, 3, at=NOW - timedelta(hours=2), campaign=campaign)
    send(acme, 1, at=NOW - timedelta(hours=1))
    send(globex, 2, at=NOW - timedelta(days=1), campaign=campaign)  # Tuesday: this week, not today
    send(globex, 4, at=NOW - timedelta(days=7))  # last week
    send(acme, 5, at=NOW - timedelta(hours=1), status=OutboundMessage.Status.FAILED)
    return acme, globex, campaign


def test_today_in_all_is_one_number(organization, sent):
    answer = ask(organization, "how many emails did we send today")

    assert (answer["kind"], answer["value"], answer["unit"]) == ("number", 4, "emails")
    assert answer["title"] == "Emails sent today"


def test_this_week_counts_from_monday(organization, sent):
    assert ask(organization, "how many emails did we send this week")["value"] == 6


def test_per_campaign_per_inbox_per_domain_and_per_client_are_tables(organization, sent):
    per_campaign = ask(organization, "how many emails did we send this week per campaign")
    assert (per_campaign["kind"], per_campaign["columns"], per_campaign["rows"]) == (
        "table", ["campaign", "sent"], [["spring-launch", 5]])
    assert ask(organization, "how many emails did we send today per inbox")["rows"] == [["sales@acme-mail.example", 4]]
    assert ask(organization, "how many emails did we send this week per domain")["rows"] == [
        ["acme-mail.example", 4], ["globex-mail.example", 2]]
    assert ask(organization, "how many emails did we send this week by client")["rows"] == [["acme", 4], ["globex", 2]]


def test_for_one_campaign_inbox_domain_or_client_is_a_number(organization, sent):
    assert ask(organization, "how many emails did we send this week for campaign spring-launch")["value"] == 5
    assert ask(organization, "how many emails did we send from inbox sales@acme-mail.example today")["value"] == 4
    assert ask(organization, "how many emails did we send this week from globex-mail.example")["value"] == 2
    answer = ask(organization, "how many emails did we send today for acme")
    assert (answer["value"], answer["title"]) == (4, "Emails sent today · client acme")
