from campaigns.templating import render


def test_variable_renders_the_contact_value():
    values = {"first_name": "Ada", "company": "Acme"}
    assert render("Hi {{first_name}} at {{company}}!", values, seed="1") == "Hi Ada at Acme!"


def test_text_without_braces_renders_as_it_is():
    text = "Hi there,\n\nWould a short call | next week be useful?\n"
    assert render(text, {}, seed="1") == text
