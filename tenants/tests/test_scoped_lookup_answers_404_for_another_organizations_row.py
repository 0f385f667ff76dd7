"""``tenants.access``: a row of another organization is looked up exactly like a row that does not exist (404),
so an API never tells a caller that someone else's id is real; a malformed id is a 404 too, not a 500."""

import uuid

import pytest
from django.http import Http404
from django.test import RequestFactory

from missions.models import Mission
from missions.tests.factories import submit_canary
from tenants.access import get_scoped_or_404, resolve_organization, scoped
from tenants.models import Organization


@pytest.fixture
def request_of(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_scoped_keeps_only_the_requests_organization(request_of, organization):
    own = submit_canary(organization)
    submit_canary(Organization.objects.create(name="Globex", slug="globex"))

    assert list(scoped(Mission.objects.all(), request_of)) == [own]
    assert request_of.organization == organization


def test_another_organizations_row_and_a_missing_row_both_answer_404(request_of):
    theirs = submit_canary(Organization.objects.create(name="Globex", slug="globex"))

    for lookup in (theirs.pk, uuid.uuid4(), "not-a-uuid"):
        with pytest.raises(Http404):
            get_scoped_or_404(Mission.objects.all(), request_of, pk=lookup)


def test_the_organization_is_resolved_once_per_request(request_of, organization, django_assert_num_queries):
    resolve_organization(request_of)

    with django_assert_num_queries(0):
        assert resolve_organization(request_of) == organization
