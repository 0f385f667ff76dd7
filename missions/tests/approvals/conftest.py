"""The approval tests order domains for the client acme, which intake accepts only once acme has a pool; and the
dashboard browser test's Chromium fixture, shared with the approval flow's browser test."""

import pytest

from missions.tests.dashboard_and_admin.test_dashboard_updates_live_in_a_browser import browser  # noqa: F401


@pytest.fixture(autouse=True)
def acme_pool(organization):
    from domains.models import DomainPool

    return DomainPool.objects.get_or_create(organization=organization, slug="acme", defaults={"name": "acme"})[0]
