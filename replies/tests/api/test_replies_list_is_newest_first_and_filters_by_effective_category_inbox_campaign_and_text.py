"""``GET /api/replies/`` lists the organization's inbound messages newest first and filters them by effective
category (a person's correction over the machine's), by the inbox that received them, by the campaign they answer,
by text, and by whether they wait for a person."""

from django.utils import timezone

from replies.models import InboundMessage


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_every_reply_is_listed_newest_first_with_its_row(api_client, seeded):
    response = api_client.get("/api/replies/")
    assert ids(response) == [seeded.lost.pk, seeded.carol.pk, seeded.bounce.pk, seeded.bob.pk]
    assert response.json()["count"] == 4
    bob = response.json()["results"][3]
    assert bob["category"] == "interested" and bob["layer"] == "rules" and bob["confidence"] == 0.92
    assert bob["campaign"] == {"slug": "autumn-outreach", "name": "Autumn outreach"}
    # The second email sits at position 2 of the sequence (after a wait): step 3, as the Campaigns page numbers it.
    assert (bob["step"], bob["variant"]) == (3, "A")
    assert bob["contact"]["email"] == "bob@client.example" and bob["contact"]["name"] == "Bob Stone"
    assert bob["inbox"] == seeded.first.address
    assert bob["snippet"] == "Sounds good, can we talk Thursday?"
    assert bob["needs_review"] is False and bob["corrected_by"] is None


def test_category_filters_on_the_effective_category(api_client, seeded, user):
    assert ids(api_client.get("/api/replies/?category=interested")) == [seeded.bob.pk]
    InboundMessage.objects.filter(pk=seeded.carol.pk).update(corrected_category="interested", corrected_by=user,
                                                             corrected_at=timezone.now())
    assert ids(api_client.get("/api/replies/?category=interested")) == [seeded.carol.pk, seeded.bob.pk]
    assert ids(api_client.get("/api/replies/?category=out_of_office")) == []


def test_untriaged_messages_have_their_own_filter(api_client, seeded):
    InboundMessage.objects.filter(pk=seeded.lost.pk).update(category="", layer="", confidence=None)
    assert ids(api_client.get("/api/replies/?category=untriaged")) == [seeded.lost.pk]
    assert api_client.get("/api/replies/").json()["results"][0]["category"] == "untriaged"


def test_inbox_campaign_text_and_review_filters(api_client, seeded):
    assert ids(api_client.get(f"/api/replies/?inbox={seeded.second.address}")) == [seeded.carol.pk]
    assert ids(api_client.get("/api/replies/?campaign=autumn-outreach")) == [seeded.carol.pk, seeded.bounce.pk,
                                                                             seeded.bob.pk]
    assert ids(api_client.get("/api/replies/?q=thursday")) == [seeded.bob.pk]
    assert ids(api_client.get("/api/replies/?q=Carol")) == [seeded.carol.pk]
    assert ids(api_client.get("/api/replies/?needs_review=true")) == [seeded.lost.pk]
    assert ids(api_client.get("/api/replies/?needs_review=false")) == [seeded.carol.pk, seeded.bounce.pk,
                                                                       seeded.bob.pk]
    assert ids(api_client.get(f"/api/replies/?inbox={seeded.first.address}&q=mailer")) == [seeded.bounce.pk]
