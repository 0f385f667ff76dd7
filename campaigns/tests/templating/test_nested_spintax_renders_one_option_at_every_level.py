from campaigns.templating import BUILTIN_VARIABLES, render, validate_template

TEMPLATE = "{Hi|Hello {there|friend}}"


def test_nested_spintax_renders_one_option_at_every_level():
    renders = {render(TEMPLATE, {}, seed=str(seed)) for seed in range(100)}
    assert renders == {"Hi", "Hello there", "Hello friend"}


def test_nested_spintax_is_valid():
    assert validate_template(TEMPLATE, BUILTIN_VARIABLES) == []
    assert validate_template("{x|{a|{b|c}}}", BUILTIN_VARIABLES) == []


def test_an_option_may_be_empty():
    assert {render("It is {really |}good", {}, seed=str(seed)) for seed in range(50)} == {"It is really good",
                                                                                          "It is good"}
