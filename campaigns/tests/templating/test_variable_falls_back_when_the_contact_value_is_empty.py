import pytest

from campaigns.templating import render


@pytest.mark.parametrize("values", [{"first_name": ""}, {}, {"first_name": "   "}, {"first_name": None}])
def test_variable_falls_back_when_the_contact_value_is_empty(values):
    assert render("Hi {{first_name|there}},", values, seed="1") == "Hi there,"


def test_fallback_is_not_used_when_the_contact_has_a_value():
    assert render("Hi {{first_name|there}},", {"first_name": "Ada"}, seed="1") == "Hi Ada,"


def test_whitespace_around_the_name_and_the_fallback_is_ignored():
    assert render("Hi {{ first_name | there }},", {}, seed="1") == "Hi there,"
    assert render("Hi {{ first_name | there }},", {"first_name": "Ada"}, seed="1") == "Hi Ada,"


def test_fallback_may_hold_several_words():
    assert render("in {{industry|your industry}}", {}, seed="1") == "in your industry"


def test_variable_without_a_fallback_renders_nothing_when_empty():
    assert render("at {{company}}.", {}, seed="1") == "at ."


def test_fallback_may_be_empty():
    assert render("Hi{{first_name|}},", {}, seed="1") == "Hi,"
