"""Another organization sees none of these messages: its list is empty, their detail, relabel and reply answer 404
like missing ones, and this organization's inbox is unknown in its filters (400)."""


def test_another_organization_sees_nothing(other_organization_client, seeded):
    assert other_organization_client.get("/api/replies/").json()["count"] == 0
    assert other_organization_client.get("/api/replies/counts").json()["total"] == 0
    pk = seeded.bob.pk
    assert other_organization_client.get(f"/api/replies/{pk}/").status_code == 404
    assert other_organization_client.post(f"/api/replies/{pk}/relabel", {"category": "other"},
                                          format="json").status_code == 404
    assert other_organization_client.post(f"/api/replies/{pk}/reply", {"body": "hi", "request_id": "abcdefgh-1"},
                                          format="json").status_code == 404
    assert other_organization_client.get(f"/api/replies/?inbox={seeded.first.address}").status_code == 400
    assert other_organization_client.get("/api/replies/?campaign=autumn-outreach").status_code == 400
    seeded.bob.refresh_from_db()
    assert seeded.bob.corrected_category == ""


def test_a_missing_message_is_404(api_client, seeded):
    assert api_client.get("/api/replies/999999/").status_code == 404
