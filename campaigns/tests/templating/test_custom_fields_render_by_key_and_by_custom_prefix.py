from campaigns.templating import BUILTIN_VARIABLES, render, template_variables, validate_template

VALUES = {"first_name": "Ada", "industry": "logistics", "job_title": "CTO"}


def test_custom_fields_render_by_key_and_by_custom_prefix():
    assert render("{{industry}} / {{custom.industry}}", VALUES, seed="1") == "logistics / logistics"


def test_custom_fields_take_a_fallback_in_both_forms():
    assert render("{{region|your region}} / {{ custom.region | your region }}", VALUES, seed="1") == (
        "your region / your region")


def test_both_forms_validate_against_the_custom_field_keys():
    known = BUILTIN_VARIABLES | {"industry"}
    assert validate_template("{{industry}} {{custom.industry}}", known) == []
    [issue] = validate_template("{{custom.region}}", known)
    assert issue.message.startswith("unknown variable {{custom.region}}")


def test_both_forms_are_listed_by_their_key():
    assert template_variables("{{industry}} {{custom.job_title|}} {{first_name}}") == {"industry", "job_title",
                                                                                        "first_name"}
