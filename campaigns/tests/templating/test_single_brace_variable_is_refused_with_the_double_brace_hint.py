import pytest

from campaigns.templating import BUILTIN_VARIABLES, TemplateError, render, validate_template


@pytest.mark.parametrize(("template", "name", "position"), [
    ("Hi {first_name},", "first_name", 3),
    ("at { company }", "company", 3),
    ("{custom.industry}", "custom.industry", 0),
])
def test_single_brace_variable_is_refused_with_the_double_brace_hint(template, name, position):
    [issue] = validate_template(template, BUILTIN_VARIABLES | {"industry"})
    assert f"use {{{{{name}}}}} for a variable" in issue.message
    assert issue.position == position


def test_an_old_style_template_does_not_render():
    with pytest.raises(TemplateError, match=r"use \{\{first_name\}\} for a variable"):
        render("Quick question, {first_name}", {"first_name": "Ada"}, seed="1")
