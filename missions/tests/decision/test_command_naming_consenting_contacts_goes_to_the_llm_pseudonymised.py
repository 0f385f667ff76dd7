"""A command that names only contacts who consented to LLM processing goes to the LLM, pseudonymised: their
addresses, phone numbers and their own names and company (known values from the contact record) never reach the
server, and the mission the plan creates carries the real values."""

import json

from campaigns.models import Contact
from missions.models import CommandDecision, Mission


def test_a_consenting_contacts_data_goes_out_as_placeholders_only(api_client, fake_openai, organization):
    Contact.objects.create(organization=organization, email="jane.doe@globex.example", phone="+442079460958",
                           first_name="Jane", last_name="Doe", company="Globex Corporation", llm_consent=True)
    fake_openai.reply(json.dumps({
        "intent": "canary", "missions": [{"type": "canary", "params": {"message": "ring <PHONE_1>, cc <EMAIL_1>"}}],
        "confidence": 0.9, "explanation": "a pipeline check"}))

    response = api_client.post("/api/rex/command", {"command": (
        "could you kick off a quick pipeline check for Jane Doe of Globex Corporation: ring 020 7946 0958, "
        "cc jane.doe@globex.example")}, format="json")

    assert response.status_code == 201, response.data
    assert Mission.objects.get().params["message"] == "ring 020 7946 0958, cc jane.doe@globex.example"
    [sent] = fake_openai.received("/chat/completions")
    received = sent.text()
    for value in ("jane.doe@globex.example", "7946", "Jane", "Doe", "Globex"):
        assert value not in received, f"{value!r} reached the LLM"
    assert CommandDecision.objects.get().outcome == "accepted"
