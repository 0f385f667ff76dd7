from campaigns.templating import BUILTIN_VARIABLES, render, validate_template


def test_a_variable_name_in_a_fallback_is_written_as_a_word():
    assert render("{{first_name|company}}", {"company": "Acme"}, seed="1") == "company"


def test_a_bar_in_a_fallback_is_part_of_the_text():
    assert render("{{first_name|a|b}}", {}, seed="1") == "a|b"


def test_braces_in_a_fallback_are_refused():
    issues = validate_template("{{first_name|{Hi|Hello}}}", BUILTIN_VARIABLES)
    assert len(issues) == 1
    assert "fallback is plain text" in issues[0].message
    assert issues[0].position == 0
