"""Contacts in a sequence point at its steps by index: removing or moving steps is refused while any contact is
in it (copy it into a new sequence instead); a sequence nobody is in may be reshaped freely."""

from campaigns.models import SequenceStep
from campaigns.services import start_campaign
from campaigns.tests.api.conftest import sequence_body

IN_USE = ("2 contacts are in this sequence; steps can be added at the end and texts edited, not removed or moved — "
          "copy it into a new sequence")


def test_removing_or_moving_a_step_is_refused_while_contacts_are_in_it(api_client, campaign, contact_list,
                                                                       add_contact):
    add_contact("ann@client.example")
    add_contact("bob@client.example")
    start_campaign(campaign, contact_list=contact_list)

    shorter = sequence_body("Intro")
    del shorter["steps"][2]
    moved = sequence_body("Intro")
    moved["steps"] = [moved["steps"][0], moved["steps"][2], moved["steps"][1]]
    for body in (shorter, moved):
        response = api_client.put("/api/sequences/intro/", body, format="json")
        assert response.status_code == 400
        assert response.json() == {"steps": [IN_USE]}
    assert list(SequenceStep.objects.order_by("position").values_list("kind", flat=True)) == ["email", "wait", "email"]


def test_a_sequence_nobody_is_in_may_lose_steps(api_client, make_sequence):
    make_sequence("Intro")
    body = sequence_body("Intro")
    del body["steps"][1:]

    response = api_client.put("/api/sequences/intro/", body, format="json")

    assert response.status_code == 200
    assert SequenceStep.objects.count() == 1
