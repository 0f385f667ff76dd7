"""Each rule of a sequence is a 400 on the field at fault: an email step at least, 1-5 variants with distinct
labels and a body, a subject on the first email only, wait steps of 1-60 business days without text."""

import pytest

from campaigns.models import Sequence
from campaigns.tests.api.conftest import sequence_body

FOLLOW_UP = ("follow-ups reply in the first email's thread: their subject is Re: <first subject>; leave it empty")


def test_a_sequence_without_an_email_step_is_refused(api_client):
    response = api_client.post("/api/sequences/", {"name": "Waits", "steps": [{"kind": "wait", "wait_days": 1}]},
                               format="json")

    assert response.status_code == 400
    assert response.json() == {"steps": ["a sequence needs at least one email step"]}


@pytest.mark.parametrize(("change", "errors"), [
    (lambda s: s[0]["variants"][0].update(subject=""),
     {"0": {"variants": {"0": {"subject": ["the first email needs a subject"]}}}}),
    (lambda s: s[2]["variants"][0].update(subject="Another subject"),
     {"2": {"variants": {"0": {"subject": [FOLLOW_UP]}}}}),
    (lambda s: s[0]["variants"][1].update(label="A"),
     {"0": {"variants": {"0": {"label": ["variant A appears more than once in this step"]},
                         "1": {"label": ["variant A appears more than once in this step"]}}}}),
    (lambda s: s[2]["variants"][0].update(body="  "),
     {"2": {"variants": {"0": {"body": ["an email needs a body"]}}}}),
    (lambda s: s[2].update(variants=[]), {"2": {"variants": ["an email step has 1 to 5 variants (A to E)"]}}),
    (lambda s: s[1].update(wait_days=61), {"1": {"wait_days": ["a wait step waits 1 to 60 business days"]}}),
    (lambda s: s[1].update(wait_days=0), {"1": {"wait_days": ["a wait step waits 1 to 60 business days"]}}),
    (lambda s: s[1].update(variants=[{"label": "A", "body": "x"}]),
     {"1": {"variants": ["a wait step sends nothing: it has no variants"]}}),
    (lambda s: s[0]["variants"][0].update(body="{Hi|Hello {{first_name}}"),
     {"0": {"variants": {"0": {"body": ["unclosed { (unbalanced spintax braces)"]}}}}),
], ids=["first-without-subject", "follow-up-with-subject", "duplicate-label", "blank-body", "no-variants",
        "wait-too-long", "wait-zero", "wait-with-text", "unbalanced-spintax"])
def test_rule_is_refused_on_its_field(api_client, change, errors):
    body = sequence_body()
    change(body["steps"])

    response = api_client.post("/api/sequences/", body, format="json")

    assert response.status_code == 400
    assert response.json() == {"steps": errors}
    assert not Sequence.objects.exists()


def test_a_sixth_variant_is_refused(api_client):
    body = sequence_body()
    body["steps"][2]["variants"] = [{"label": label, "body": "Hello"} for label in "ABCDE"] + [
        {"label": "A", "body": "Hello"}]

    response = api_client.post("/api/sequences/", body, format="json")

    assert response.status_code == 400
    assert response.json()["steps"]["2"]["variants"] == ["an email step has 1 to 5 variants (A to E)"]


def test_a_malformed_body_is_a_400_not_a_500(api_client):
    for body in ({"name": "x", "steps": "nope"}, {"name": "x", "steps": [None]}, {"steps": []}, []):
        assert api_client.post("/api/sequences/", body, format="json").status_code == 400
