from campaigns.templating import template_variables


def test_template_variables_lists_every_name_used():
    template = "{Hi {{First_Name|there}}|Hey} at {{company}}, {{ custom.industry }} {{company|you}}"
    assert template_variables(template) == {"first_name", "company", "industry"}


def test_a_template_without_variables_uses_none():
    assert template_variables("{Hi|Hello}, plain text") == set()
