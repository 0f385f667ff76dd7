"""A JSON value of another type than the schema says is a 400 on its field, never coerced (core.strict_types)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
def test_a_number_for_the_client_is_refused_on_the_field(api_client):
    response = api_client.post("/api/billing/quote", {"domains": 1, "client": 0}, format="json")

    assert response.status_code == 400
    assert response.json() == {"client": ["must be a string, not a number"]}


@pytest.mark.django_db
def test_a_string_or_a_boolean_for_a_number_is_refused(api_client):
    as_text = api_client.post("/api/billing/quote", {"domains": "1"}, format="json")
    as_boolean = api_client.post("/api/billing/quote", {"domains": True}, format="json")

    assert as_text.json() == {"domains": ["must be a number, not a string"]}
    assert as_boolean.json() == {"domains": ["must be a number, not a boolean"]}


@pytest.mark.django_db
def test_a_number_for_a_choice_of_strings_is_refused(api_client):
    response = api_client.post("/api/rex/command", {"type": "canary", "priority": 1}, format="json")

    assert response.status_code == 400
    assert response.json() == {"priority": ["must be a string, not a number"]}


@pytest.mark.django_db
def test_a_wrong_type_deep_in_a_nested_list_is_refused_with_its_path(api_client):
    sequence = {"name": "Intro", "steps": [{"kind": "email", "variants": [{"label": "A", "subject": "Hi",
                                                                          "body": 5}]}]}

    response = api_client.post("/api/sequences/", sequence, format="json")

    assert response.status_code == 400
    assert response.json() == {"steps": {"0": {"variants": {"0": {"body": ["must be a string, not a number"]}}}}}


@pytest.mark.django_db
def test_a_number_in_a_map_of_numbers_given_as_text_is_refused_with_its_key(api_client):
    response = api_client.post("/api/billing/quote", {"extra_inboxes": {"acme-mail.example": "2"}}, format="json")

    assert response.json() == {"extra_inboxes": {"acme-mail.example": ["must be a number, not a string"]}}


@pytest.mark.django_db
def test_filters_from_the_query_string_are_still_read_from_text(api_client):
    response = api_client.get("/api/enrollments/?contact=3")

    assert response.status_code == 200
