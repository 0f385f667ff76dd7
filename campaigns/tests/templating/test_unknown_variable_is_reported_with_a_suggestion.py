from campaigns.templating import BUILTIN_VARIABLES, TemplateIssue, validate_template


def test_unknown_variable_is_reported_with_a_suggestion():
    assert validate_template("Hi {{frist_name}},", BUILTIN_VARIABLES) == [
        TemplateIssue("unknown variable {{frist_name}}; did you mean first_name?", 3)]


def test_the_suggestion_includes_custom_fields():
    [issue] = validate_template("{{industy|your field}}", BUILTIN_VARIABLES | {"industry"})
    assert issue.message == "unknown variable {{industy}}; did you mean industry?"


def test_an_unknown_variable_with_nothing_close_has_no_suggestion():
    [issue] = validate_template("{{zzz}}", BUILTIN_VARIABLES)
    assert issue.message == "unknown variable {{zzz}}"


def test_the_unsubscribe_link_is_not_a_variable():
    [issue] = validate_template("{{unsubscribe_url}}", BUILTIN_VARIABLES)
    assert "footer" in issue.message


def test_every_built_in_variable_is_known():
    template = " ".join(f"{{{{{name}}}}}" for name in sorted(BUILTIN_VARIABLES))
    assert validate_template(template, BUILTIN_VARIABLES) == []
    assert BUILTIN_VARIABLES == {"first_name", "last_name", "full_name", "company", "email", "phone", "title",
                                 "sender_name", "sender_first_name", "referred_by"}
    assert isinstance(BUILTIN_VARIABLES, frozenset)
