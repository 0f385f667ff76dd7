import pytest

from campaigns.templating import normalize_field_name


@pytest.mark.parametrize(("name", "key"), [
    ("Job Title", "job_title"),
    ("Industry ", "industry"),
    ("industry", "industry"),
    ("FirstName", "first_name"),
    ("E-mail  Address", "e_mail_address"),
    ("Société", "societe"),
    ("Q3 revenue ($)", "q3_revenue"),
    ("  ", ""),
])
def test_field_names_are_normalized_to_snake_case(name, key):
    assert normalize_field_name(name) == key
