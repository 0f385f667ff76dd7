from types import SimpleNamespace

from campaigns.templating import contact_values, render


def contact(**fields):
    base = {"first_name": "Ada", "last_name": "Lovelace", "company": "Acme", "email": "ada@acme.example",
            "phone": "+447700900123"}
    return SimpleNamespace(**{**base, **fields})


def test_contact_values_are_built_from_any_object():
    values = contact_values(contact(custom_fields={"Industry ": "logistics", "Job Title": "CTO"}),
                            sender_name="Grace Hopper")
    assert values == {"first_name": "Ada", "last_name": "Lovelace", "full_name": "Ada Lovelace", "company": "Acme",
                      "email": "ada@acme.example", "phone": "+447700900123", "title": "CTO", "industry": "logistics",
                      "job_title": "CTO", "sender_name": "Grace Hopper", "sender_first_name": "Grace"}


def test_an_object_without_custom_fields_has_the_built_ins_only():
    values = contact_values(contact(last_name=""))
    assert values["full_name"] == "Ada"
    assert values["title"] == values["sender_name"] == values["sender_first_name"] == ""


def test_a_built_in_with_a_value_wins_over_a_custom_field_of_the_same_name():
    values = contact_values(contact(company="", custom_fields={"company": "Acme Ltd", "First Name": "Bob"}))
    assert values["company"] == "Acme Ltd"
    assert values["first_name"] == "Ada"


def test_values_feed_render():
    values = contact_values(contact(custom_fields={"industry": None}), sender_name="Grace Hopper")
    assert render("{{first_name}}, {{industry|your field}}. {{sender_first_name}}", values, seed="1") == (
        "Ada, your field. Grace")
