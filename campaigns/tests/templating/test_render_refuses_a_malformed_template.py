import pytest

from campaigns.templating import TemplateError, render


def test_render_refuses_a_malformed_template():
    with pytest.raises(TemplateError) as caught:
        render("Hi {{first_name|there}, {a|b", {"first_name": "Ada"}, seed="1")
    assert isinstance(caught.value, ValueError)
    assert str(caught.value) == "unclosed {{ (a variable ends with }})"
    assert caught.value.position == 3
    assert len(caught.value.issues) == 2


def test_render_refuses_again_on_the_cached_parse():
    for _ in range(2):
        with pytest.raises(TemplateError):
            render("Hi }}", {}, seed="1")


def test_an_unknown_variable_renders_its_fallback():
    assert render("{{region|there}}", {"first_name": "Ada"}, seed="1") == "there"
