from campaigns.templating import render

TEMPLATE = "{Hi|Hello|Hey} {{first_name}}, {quick|short} {question|idea} for {you|{{company}}}"
VALUES = {"first_name": "Ada", "company": "Acme"}


def test_spintax_choice_is_identical_on_every_render_for_the_same_contact():
    first = render(TEMPLATE, VALUES, seed="42:7:a")
    assert all(render(TEMPLATE, VALUES, seed="42:7:a") == first for _ in range(20))


def test_each_option_of_a_group_appears_over_fifty_seeds():
    seen = {render("{a|b|c}", {}, seed=f"{contact_id}:1:a") for contact_id in range(50)}
    assert seen == {"a", "b", "c"}


def test_the_step_and_the_variant_in_the_seed_change_the_choice():
    template = "{a|b|c|d|e|f|g|h}"
    renders = {render(template, {}, seed=f"1:{step}:{variant}") for step in range(10) for variant in "ab"}
    assert len(renders) > 1
