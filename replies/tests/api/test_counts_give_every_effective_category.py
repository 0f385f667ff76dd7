"""``GET /api/replies/counts`` gives the number of messages per effective category (every category, zeros
included, and untriaged) for the chips; a correction moves a message to its new category."""

from django.utils import timezone

from replies.models import Category, InboundMessage


def test_counts_per_category(api_client, seeded, user):
    body = api_client.get("/api/replies/counts").json()
    assert body["total"] == 4
    assert set(body["categories"]) == set(Category.values) | {"untriaged"}
    assert {k: v for k, v in body["categories"].items() if v} == {"interested": 1, "bounce": 1, "out_of_office": 1,
                                                                   "needs_review": 1}
    InboundMessage.objects.filter(pk=seeded.lost.pk).update(corrected_category="question", corrected_by=user,
                                                            corrected_at=timezone.now())
    body = api_client.get("/api/replies/counts").json()
    assert body["categories"]["needs_review"] == 0 and body["categories"]["question"] == 1


def test_counts_follow_the_other_filters_but_not_the_category(api_client, seeded):
    body = api_client.get(f"/api/replies/counts?category=bounce&inbox={seeded.second.address}").json()
    assert body["total"] == 1 and body["categories"]["out_of_office"] == 1
