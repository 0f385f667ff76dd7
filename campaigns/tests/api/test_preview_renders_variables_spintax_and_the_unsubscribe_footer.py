"""The preview is the email a real contact would get: variables and spintax rendered, the follow-up's subject
in the first email's thread, the unsubscribe footer with the https link and the postal address. Unsaved texts
from the editor are checked like a save."""

import pytest

from campaigns.models import StepVariant
from campaigns.templating import render

POSTAL_ADDRESS = "Acme Outbound Ltd, 1 Main Street, Springfield, IL 62701, USA"


@pytest.fixture
def sending(organization, settings):
    settings.REX_PUBLIC_BASE_URL = "https://rex.test.example"
    organization.postal_address = POSTAL_ADDRESS
    organization.save(update_fields=["postal_address"])
    return organization


def test_preview_of_the_first_email_for_a_real_contact(api_client, sending, campaign, contact_list, add_contact):
    campaign.contact_list = contact_list
    campaign.save()
    ann = add_contact("ann@client.example", first_name="Ann", company="Initech", timezone="America/New_York")

    response = api_client.post("/api/campaigns/spring/preview", {"step": 0, "variant": "A"}, format="json")

    assert response.status_code == 200, response.json()
    body = response.json()
    step = campaign.sequence.ordered_steps()[0]
    greeting = render("{Hi|Hello}", {}, seed=f"{ann.pk}:{step.pk}:A")
    assert body["subject"] == "Quick question, Ann"
    assert body["body"] == f"{greeting} Ann,\n\nDoes Initech need this?"
    assert body["text"].startswith(body["body"])
    assert "Unsubscribe: https://rex.test.example/u/" in body["text"]
    assert body["text"].endswith(f"Acme Outbound\n{POSTAL_ADDRESS}")
    assert (body["variant"], body["zone"]) == ("A", "America/New_York")
    assert isinstance(body["window_open_now"], bool)
    assert body["contact"] == {"id": ann.pk, "email": "ann@client.example", "first_name": "Ann"}


def test_preview_of_a_follow_up_replies_in_the_first_emails_thread(api_client, sending, campaign, add_contact):
    add_contact("ann@client.example", first_name="Ann")

    body = api_client.post("/api/campaigns/spring/preview", {"step": 2}, format="json").json()

    assert body["subject"].startswith("Re: ")
    assert body["body"] == "Following up, Ann."


def test_unsaved_text_is_rendered_and_checked_like_a_save(api_client, sending, campaign, add_contact):
    add_contact("ann@client.example", first_name="Ann", custom_fields={"industry": "retail"})

    ok = api_client.post("/api/campaigns/spring/preview",
                         {"step": 0, "variant": "B", "body": "Retail? {{industry}} for {{first_name}}"}, format="json")
    typo = api_client.post("/api/campaigns/spring/preview", {"step": 0, "body": "Hi {{frist_name}}"}, format="json")
    follow_up_subject = api_client.post("/api/campaigns/spring/preview", {"step": 2, "subject": "New"}, format="json")
    wait_step = api_client.post("/api/campaigns/spring/preview", {"step": 1}, format="json")

    assert ok.status_code == 200
    assert (ok.json()["subject"], ok.json()["body"]) == ("Idea for", "Retail? retail for Ann")
    assert (typo.status_code, typo.json()) == (400, {"body": ["unknown variable {{frist_name}}; did you mean first_name?"]})
    assert follow_up_subject.status_code == 400 and set(follow_up_subject.json()) == {"subject"}
    assert (wait_step.status_code, set(wait_step.json())) == (400, {"step"})
    assert StepVariant.objects.get(step__position=0, label="B").body_template == "Hey {{first_name}}, one idea."


def test_preview_without_any_contact_is_a_field_error(api_client, campaign):
    response = api_client.post("/api/campaigns/spring/preview", {"step": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {"contact": ["add a contact to preview with"]}
