""""show bounce rate for acme" and its kin: the bounce rate is of sent (hard and infrastructure bounces; a soft
bounce is retried, not lost), the complaint, reply and positive-reply rates are of delivered (sent minus those
bounces), a person's relabelling counts over the triage's category, and the window is the last 30 days unless the
question names another. "show rates for …" gives the four in a table, "… per domain" a row per domain."""

from datetime import timedelta

import pytest

from domains.tests.factories import create_domain
from inboxes.models import BounceRecord
from replies.models import Category
from replies.tests.answers.outreach import NOW, ask, bounce, identities, reply, send

pytestmark = pytest.mark.django_db
HOUR = timedelta(hours=1)


@pytest.fixture
def outreach(organization):
    acme, globex, campaign = identities(organization)
    acme_sent = send(acme, 20, at=NOW - 2 * HOUR, campaign=campaign)
    bounce(acme_sent[0], BounceRecord.Class.HARD, at=NOW - HOUR)
    bounce(acme_sent[1], BounceRecord.Class.INFRASTRUCTURE, at=NOW - HOUR)
    bounce(acme_sent[2], BounceRecord.Class.SOFT, at=NOW - HOUR)  # retried by the receiver: still delivered
    reply(acme_sent[3], Category.INTERESTED, at=NOW - HOUR)
    reply(acme_sent[4], Category.NOT_INTERESTED, at=NOW - HOUR)
    reply(acme_sent[5], Category.QUESTION, at=NOW - HOUR, corrected=Category.INTERESTED)  # a person relabelled it
    reply(acme_sent[6], Category.COMPLAINT, at=NOW - HOUR)
    reply(acme_sent[7], Category.OUT_OF_OFFICE, at=NOW - HOUR)  # a machine's answer, not a reply
    globex_sent = send(globex, 10, at=NOW - 2 * HOUR)
    bounce(globex_sent[0], BounceRecord.Class.HARD, at=NOW - HOUR)
    old = send(globex, 10, at=NOW - timedelta(days=40))  # outside the default 30 days
    bounce(old[0], BounceRecord.Class.HARD, at=NOW - timedelta(days=40))
    return acme, globex, campaign


def test_bounce_rate_is_of_sent(organization, outreach):
    answer = ask(organization, "show bounce rate for acme")

    assert answer["kind"] == "number"
    assert (answer["value"], answer["unit"], answer["detail"]) == (10.0, "%", "2 of 20 sent")
    assert answer["title"] == "Bounce rate · last 30 days · client acme"


def test_positive_reply_and_reply_rates_are_of_delivered(organization, outreach):
    positive = ask(organization, "what is the positive reply rate for campaign spring-launch")
    assert (positive["value"], positive["detail"]) == (round(100 * 2 / 18, 2), "2 of 18 delivered")
    replies = ask(organization, "show reply rate for inbox sales@acme-mail.example")
    assert (replies["value"], replies["detail"]) == (round(100 * 3 / 18, 2), "3 of 18 delivered")
    complaints = ask(organization, "show complaint rate for acme-mail.example")
    assert complaints["detail"] == "1 of 18 delivered"


def test_rates_names_the_four_in_a_table(organization, outreach):
    answer = ask(organization, "show rates for acme")

    assert (answer["kind"], answer["columns"]) == ("table", ["rate", "%", "counted"])
    assert [row[0] for row in answer["rows"]] == ["bounce", "complaint", "reply", "positive reply"]
    assert answer["rows"][0][1:] == [10.0, "2 of 20 sent"]


def test_per_domain_is_a_row_per_domain_and_the_window_can_be_named(organization, outreach):
    answer = ask(organization, "show bounce rate per domain")
    assert answer["columns"] == ["domain", "sent", "delivered", "bounce rate %"]
    assert answer["rows"] == [["acme-mail.example", 20, 18, 10.0], ["globex-mail.example", 10, 9, 10.0]]

    assert ask(organization, "show bounce rate for globex today")["detail"] == "1 of 10 sent"
    assert ask(organization, "show bounce rate for globex this month")["detail"] == "1 of 10 sent"


def test_a_rate_of_nothing_sent_is_empty_not_zero(organization, outreach):
    create_domain(organization, "quiet.example", client="initech")

    answer = ask(organization, "show bounce rate for initech")

    assert (answer["kind"], answer["value"], answer["detail"]) == ("number", None, "nothing sent last 30 days")
