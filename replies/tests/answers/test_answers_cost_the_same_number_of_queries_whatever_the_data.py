"""Every question is a fixed number of aggregate queries: ten times the messages, bounces and replies (and more
inboxes, domains and campaigns) cost not one query more."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from campaigns.models import Campaign
from domains.tests.factories import add_inboxes, create_domain
from inboxes.models import BounceRecord
from replies.models import Category
from replies.tests.answers.outreach import NOW, ask, bounce, reply, send

pytestmark = pytest.mark.django_db
QUESTIONS = ["how many emails did we send today", "how many emails did we send this week per inbox",
             "show rates for acme", "show reply rate per campaign", "show bounce rate per client",
             "capacity left today per domain", "how many emails did we send today for campaign c0"]


def grow(organization, scale: int) -> None:
    for number in range(scale):
        domain = create_domain(organization, f"d{scale}-{number}.example", client="acme")
        campaign, _ = Campaign.objects.get_or_create(organization=organization, slug=f"c{number}",
                                                     defaults={"name": f"C{number}"})
        for inbox in add_inboxes(domain, 2):
            messages = send(inbox, 2, at=NOW - timedelta(hours=1), campaign=campaign)
            bounce(messages[0], BounceRecord.Class.HARD, at=NOW - timedelta(minutes=30))
            reply(messages[1], Category.INTERESTED, at=NOW - timedelta(minutes=30))


def queries(organization) -> dict[str, int]:
    counts = {}
    for question in QUESTIONS:
        with CaptureQueriesContext(connection) as captured:
            ask(organization, question)
        counts[question] = len(captured)
    return counts


def test_ten_times_the_data_costs_no_more_queries(organization):
    grow(organization, 1)
    small = queries(organization)
    grow(organization, 10)

    assert queries(organization) == small
