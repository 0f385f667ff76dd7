"""An unknown variable is refused when the sequence is saved (never at send time), at the path of the text that
holds it, with the closest known name; nothing of the sequence is stored."""

from campaigns.models import Sequence, SequenceStep, StepVariant
from campaigns.tests.api.conftest import sequence_body


def test_unknown_variable_in_a_follow_up_body_is_reported_at_its_path(api_client):
    body = sequence_body()
    body["steps"][2]["variants"][0]["body"] = "Hi {{frist_name}}, any thoughts?"

    response = api_client.post("/api/sequences/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"steps": {"2": {"variants": {"0": {
        "body": ["unknown variable {{frist_name}}; did you mean first_name?"]}}}}}
    assert not Sequence.objects.exists()
    assert not SequenceStep.objects.exists()
    assert not StepVariant.objects.exists()


def test_a_custom_field_a_contact_carries_is_a_known_variable(api_client, add_contact):
    add_contact("ann@client.example", custom_fields={"industry": "retail"})
    body = sequence_body()
    body["steps"][0]["variants"][0]["body"] = "How is {{industry|business}}?"

    assert api_client.post("/api/sequences/", body, format="json").status_code == 201


def test_field_errors_of_nested_items_use_the_same_keyed_format(api_client):
    body = sequence_body()
    body["steps"][1]["kind"] = "sms"

    response = api_client.post("/api/sequences/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"steps": {"1": {"kind": ['"sms" is not a valid choice.']}}}
