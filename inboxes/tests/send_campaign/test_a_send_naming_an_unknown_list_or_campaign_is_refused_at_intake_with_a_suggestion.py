"""``send campaign spring-launch to list nobody`` is refused when it is accepted — a 400 on the field with the
closest known name — and never becomes a mission that fails in the worker; typed or in free text, where the
answer is the whole command corrected."""

import pytest

from campaigns.models import Campaign
from inboxes.tests.send_campaign_helpers import contact_list
from missions.models import CommandDecision, Mission

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign_and_list(sender):
    Campaign.objects.create(organization=sender, name="spring-launch")
    contact_list(sender, ["cfo@prospect.example"], name="cfo-uk")


def test_a_typed_command_with_an_unknown_list_is_a_field_error_with_did_you_mean(api_client, campaign_and_list):
    response = api_client.post("/api/rex/command", {"type": "send_campaign",
                                                    "params": {"campaign": "spring-launch", "list": "cfo-ku"}},
                               format="json")

    assert response.status_code == 400
    assert response.json() == {"params": {"list": ["No list named 'cfo-ku'. Did you mean 'cfo-uk'?"]}}
    assert not Mission.objects.exists()


def test_an_unknown_campaign_and_list_are_both_named(api_client, campaign_and_list):
    response = api_client.post("/api/rex/command", {"type": "send_campaign",
                                                    "params": {"campaign": "autumn", "list": "nobody"}},
                               format="json")

    assert response.status_code == 400
    assert response.json()["params"] == {"campaign": ["No campaign named 'autumn'."],
                                         "list": ["No list named 'nobody'."]}
    assert not Mission.objects.exists()


def test_free_text_is_answered_with_the_corrected_command(api_client, campaign_and_list):
    response = api_client.post("/api/rex/command", {"command": "send campaign spring-launch to list cfo-ku"},
                               format="json")

    assert response.status_code == 400
    body = response.json()
    [message] = body["command"]
    assert message.endswith("but there is no list named 'cfo-ku'; "
                            "did you mean 'send campaign spring-launch to list cfo-uk'?")
    assert body["params"] == {"list": ["No list named 'cfo-ku'. Did you mean 'cfo-uk'?"]}
    assert not Mission.objects.exists()
    decision = CommandDecision.objects.get()
    assert (decision.layer, decision.outcome) == ("rules", "rejected")


def test_the_names_that_exist_are_accepted(api_client, campaign_and_list):
    response = api_client.post("/api/rex/command", {"command": "send campaign Spring-Launch to list cfo-uk"},
                               format="json")

    assert response.status_code == 201, response.data
