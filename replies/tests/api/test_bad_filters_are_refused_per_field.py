"""A filter that names nothing (an unknown category, inbox or campaign, a needs_review that is not a boolean) is a
400 naming each field at fault."""


def test_each_bad_filter_is_named(api_client, seeded):
    response = api_client.get("/api/replies/?category=nope&inbox=nobody@nowhere.example&campaign=nope&needs_review=x")
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) == {"category", "inbox", "campaign", "needs_review"}
    assert errors["inbox"] == ["no inbox 'nobody@nowhere.example' in your organization"]
    assert errors["campaign"] == ["no campaign 'nope' in your organization"]
    assert api_client.get("/api/replies/counts?inbox=nobody@nowhere.example").status_code == 400


def test_a_needs_review_of_null_or_nothing_is_not_a_boolean(api_client, seeded):
    for value in ("null", ""):
        response = api_client.get(f"/api/replies/?needs_review={value}")

        assert response.status_code == 400
        assert set(response.json()) == {"needs_review"}


def test_an_empty_category_is_refused_like_an_unknown_one(api_client, seeded):
    response = api_client.get("/api/replies/?category=")

    assert response.status_code == 400
    assert set(response.json()) == {"category"}


def test_without_needs_review_both_kinds_are_listed(api_client, seeded):
    every = api_client.get("/api/replies/").json()["count"]
    waiting = api_client.get("/api/replies/?needs_review=true").json()["count"]
    others = api_client.get("/api/replies/?needs_review=false").json()["count"]

    assert every == waiting + others
