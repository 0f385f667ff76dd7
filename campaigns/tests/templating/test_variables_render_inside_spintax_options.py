from campaigns.templating import BUILTIN_VARIABLES, render, template_variables, validate_template

TEMPLATE = "{Hi {{first_name|there}}|Hello {{ first_name }}}, {a note for {{company}}|{{company}} caught my eye}"


def test_variables_render_inside_spintax_options():
    renders = {render(TEMPLATE, {"first_name": "Ada", "company": "Acme"}, seed=str(seed)) for seed in range(100)}
    assert renders == {f"{greeting}, {line}" for greeting in ("Hi Ada", "Hello Ada")
                       for line in ("a note for Acme", "Acme caught my eye")}


def test_fallbacks_apply_inside_spintax_options():
    renders = {render("{Hi {{first_name|there}}|Hey {{first_name|there}}}", {}, seed=str(seed)) for seed in range(50)}
    assert renders == {"Hi there", "Hey there"}


def test_variables_inside_spintax_are_validated_and_listed():
    assert validate_template(TEMPLATE, BUILTIN_VARIABLES) == []
    assert template_variables(TEMPLATE) == {"first_name", "company"}
    [issue] = validate_template("{Hi {{frist_name}}|Hello}", BUILTIN_VARIABLES)
    assert issue.position == 4
