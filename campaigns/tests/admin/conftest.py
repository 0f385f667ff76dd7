"""The admin tests build the same rows as the API tests: their fixtures, shared."""

from campaigns.tests.api.conftest import add_contact, campaign, contact_list, make_sequence  # noqa: F401
