"""Enrolling a list: a suppressed contact is never enrolled, a contact already in the campaign is not enrolled
again, and each enrollment starts with an audit row naming who enrolled it."""

from __future__ import annotations

import pytest

from campaigns.models import Enrollment, EnrollmentTransition
from campaigns.services import enroll, start_campaign
from inboxes.suppression import suppress

pytestmark = pytest.mark.django_db(transaction=True)


def test_enrolling_skips_suppressed_contacts_and_is_a_no_op_the_second_time(sequence_world):
    world = sequence_world()
    world.contact("keep@client.example")
    gone = world.contact("gone@client.example")
    suppress(world.organization, email=gone.email, reason="unsubscribe", source="test")

    first = start_campaign(world.campaign, contact_list=world.list, actor="alice")
    second = enroll(world.campaign, world.list.contacts.all(), actor="bob")

    assert (first["enrolled"], first["suppressed"]) == (1, 1)
    assert (second.enrolled, second.already_enrolled, second.suppressed) == (0, 1, 1)
    assert list(Enrollment.objects.values_list("contact__email", flat=True)) == ["keep@client.example"]
    assert EnrollmentTransition.objects.get().actor == "alice"
