"""The demo ships a follow-up sequence whose templates pass the same checks as a user's, and the README's command
"start campaign spring-launch with sequence three-touches for list cfo-uk" enrolls the demo list (the contact who
unsubscribed stays out)."""

from io import StringIO

import pytest
from django.core.management import call_command

from campaigns.models import Campaign, Enrollment, Sequence
from campaigns.services import known_variables, list_named, sequence_named, start_campaign
from campaigns.templating import validate_template

pytestmark = pytest.mark.django_db


def test_demo_sequence_validates_and_starts_for_the_demo_list():
    call_command("rex", "seed", stdout=StringIO())
    sequence = Sequence.objects.get(slug="three-touches")
    campaign = Campaign.objects.get(slug="spring-launch")
    known = known_variables(campaign.organization)
    for step in sequence.ordered_steps():
        for variant in step.variants.all():
            assert validate_template(variant.subject_template, known) == []
            assert validate_template(variant.body_template, known) == []

    report = start_campaign(campaign, sequence=sequence_named(campaign.organization, "three-touches"),
                            contact_list=list_named(campaign.organization, "cfo-uk"))
    assert (report["enrolled"], report["suppressed"]) == (11, 1)
    assert Enrollment.objects.filter(state="active").count() == 11
