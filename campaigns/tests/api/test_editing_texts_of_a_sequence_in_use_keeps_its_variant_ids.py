"""Editing the texts, variants and wait days of a sequence contacts are in updates its rows in place (steps by
position, variants by label), so the figures kept per variant survive; appending a step is allowed."""

from campaigns.models import Enrollment, StepVariant
from campaigns.services import start_campaign
from campaigns.tests.api.conftest import sequence_body


def test_edit_keeps_variant_ids_and_appends_a_step(api_client, campaign, contact_list, add_contact):
    add_contact("ann@client.example", first_name="Ann")
    start_campaign(campaign, contact_list=contact_list)
    assert Enrollment.objects.count() == 1
    before = {(v.step.position, v.label): v.pk for v in StepVariant.objects.select_related("step")}

    body = sequence_body("Intro")
    body["steps"][0]["variants"][0]["body"] = "New text for {{first_name|there}}."
    body["steps"][0]["variants"].append({"label": "C", "subject": "Third idea", "body": "Short one."})
    body["steps"][1]["wait_days"] = 3
    body["steps"].append({"kind": "wait", "wait_days": 4})
    body["steps"].append({"kind": "email", "variants": [{"label": "A", "body": "Last note."}]})
    response = api_client.put("/api/sequences/intro/", body, format="json")

    assert response.status_code == 200, response.json()
    after = {(v.step.position, v.label): v.pk for v in StepVariant.objects.select_related("step")}
    assert all(after[key] == pk for key, pk in before.items())
    assert StepVariant.objects.get(pk=before[(0, "A")]).body_template == "New text for {{first_name|there}}."
    assert set(after) - set(before) == {(0, "C"), (4, "A")}
    assert [s["wait_days"] for s in response.json()["steps"]] == [0, 3, 0, 4, 0]
    assert response.json()["campaigns"] == ["spring"]


def test_patch_of_the_name_only_leaves_the_steps(api_client, campaign):
    response = api_client.patch("/api/sequences/intro/", {"name": "Intro v2"}, format="json")

    assert response.status_code == 200
    assert response.json()["name"] == "Intro v2"
    assert len(response.json()["steps"]) == 3
