import pytest

from campaigns.templating import BUILTIN_VARIABLES, validate_template


@pytest.mark.parametrize(("template", "message", "position"), [
    ("Hi {{first_name", "unclosed {{", 3),
    ("Hi {{first_name}, ok", "unclosed {{", 3),
    ("Hi first_name}} ok", "}} without an opening {{", 13),
    ("Hi {{}}", "empty variable name", 3),
    ("Hi {{ |there}}", "empty variable name", 3),
    ("Hi {{first name}}", "invalid variable name {{first name}}", 3),
    ("Say {Hi|Hello", "unclosed {", 4),
    ("Say {Hi|Hello}} there", "} without an opening {", 14),
    ("Say Hi} there", "} without an opening {", 6),
    ("Say {Hi|{Hello|Hey}", "unclosed {", 4),
    ("Say {hello there}", "spintax group with one option", 4),
])
def test_malformed_templates_are_reported_with_position(template, message, position):
    [issue] = validate_template(template, BUILTIN_VARIABLES)
    assert message in issue.message
    assert issue.position == position


def test_every_problem_is_reported_in_order():
    issues = validate_template("{{frist_name}} {a|b {{company", BUILTIN_VARIABLES)
    assert [issue.position for issue in issues] == [0, 15, 20]


def test_spintax_nested_absurdly_deep_is_refused_without_crashing():
    issues = validate_template("{a|" * 5000 + "}" * 5000, BUILTIN_VARIABLES)
    assert [issue.message for issue in issues] == ["spintax nested more than 20 levels deep"]
