"""``POST /api/replies/<id>/relabel`` stores a person's category beside the machine's (who and when), which then
is the message's effective category everywhere; an unknown category is a 400 that changes nothing."""

from replies.models import InboundMessage


def test_relabel_is_kept_as_a_correction(api_client, seeded, user):
    response = api_client.post(f"/api/replies/{seeded.lost.pk}/relabel", {"category": "question"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["category"], body["machine_category"], body["corrected_by"]) == ("question", "needs_review", "alice")
    assert body["needs_review"] is False and body["corrected_at"]

    stored = InboundMessage.objects.get(pk=seeded.lost.pk)
    assert (stored.category, stored.layer) == ("needs_review", "review")  # the machine's answer is kept
    assert (stored.corrected_category, stored.corrected_by, stored.effective_category) == ("question", user, "question")
    assert stored.corrected_at is not None
    assert [r["id"] for r in api_client.get("/api/replies/?category=question").json()["results"]] == [seeded.lost.pk]


def test_an_unknown_category_is_400_and_changes_nothing(api_client, seeded):
    for body in ({"category": "spam"}, {"category": ""}, {}, {"category": "untriaged"}):
        response = api_client.post(f"/api/replies/{seeded.bob.pk}/relabel", body, format="json")
        assert response.status_code == 400, body
        assert list(response.json()) == ["category"]
    stored = InboundMessage.objects.get(pk=seeded.bob.pk)
    assert (stored.corrected_category, stored.corrected_by, stored.corrected_at) == ("", None, None)


def test_the_service_refuses_an_unknown_category_with_a_value_error(seeded, user):
    import pytest

    from replies.services import relabel

    with pytest.raises(ValueError, match="'spam' is not a category"):
        relabel(seeded.bob, "spam", user)
