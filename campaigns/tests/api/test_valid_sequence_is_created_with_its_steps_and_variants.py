"""A valid sequence is stored with its steps in list order and its variants; reading it back gives the same
shape, and the list shows it."""

from campaigns.models import Sequence
from campaigns.tests.api.conftest import sequence_body


def test_sequence_is_created_with_steps_in_order_and_variants(api_client):
    response = api_client.post("/api/sequences/", sequence_body("Intro Q3"), format="json")

    assert response.status_code == 201
    body = response.json()
    assert body["slug"] == "intro-q3"
    assert body["campaigns"] == []
    assert [(s["position"], s["kind"], s["wait_days"]) for s in body["steps"]] == [
        (0, "email", 0), (1, "wait", 2), (2, "email", 0)]
    assert [v["label"] for v in body["steps"][0]["variants"]] == ["A", "B"]
    assert body["steps"][0]["variants"][1] == {"label": "B", "subject": "Idea for {{company}}",
                                               "body": "Hey {{first_name}}, one idea."}
    assert body["steps"][1]["variants"] == []

    sequence = Sequence.objects.get()
    steps = sequence.ordered_steps()
    assert [s.kind for s in steps] == ["email", "wait", "email"]
    assert steps[2].variants.get().subject_template == ""
    assert api_client.get("/api/sequences/intro-q3/").json() == body
    assert [s["slug"] for s in api_client.get("/api/sequences/").json()["results"]] == ["intro-q3"]


def test_a_second_sequence_with_the_same_slug_is_refused(api_client):
    api_client.post("/api/sequences/", sequence_body("Intro"), format="json")

    response = api_client.post("/api/sequences/", sequence_body("Intro"), format="json")

    assert response.status_code == 400
    assert response.json() == {"slug": ["a sequence with the slug 'intro' already exists"]}
