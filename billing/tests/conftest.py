"""Fixtures of the billing tests: payment providers at the boundary, purchases made through the services."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.test import Client

from billing.tests.providers import PROVIDERS_MODULE as PROVIDERS
from billing.tests.providers import RecordingProvider


@pytest.fixture(autouse=True)
def billing_settings(settings) -> None:
    """Fixed prices and names, whatever the environment says, so the numbers in the tests are the documented ones."""
    settings.REX_BILLING_CURRENCY = "USD"
    settings.REX_PRICE_DOMAIN_CENTS = 1500
    settings.REX_PRICE_INBOX_CENTS = 450
    settings.REX_DOMAIN_TLD = "example"
    settings.REX_INBOXES_PER_DOMAIN = 3
    settings.REX_PAYMENT_PROVIDER = "offline"


@pytest.fixture
def recording_provider(settings) -> Iterator[type[RecordingProvider]]:
    RecordingProvider.reset()
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS}.RecordingProvider"
    yield RecordingProvider
    RecordingProvider.reset()


@pytest.fixture
def declining_provider(settings, recording_provider) -> None:
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS}.DecliningProvider"


@pytest.fixture
def unavailable_provider(settings, recording_provider) -> None:
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS}.UnavailableProvider"


@pytest.fixture
def existing_domain(organization):
    """A live domain the organization already has (its first inbox, alex@, included)."""
    from domains.models import Domain, DomainPool
    from inboxes.models import Inbox

    pool = DomainPool.for_client(organization, "acme")
    domain = Domain.objects.create(organization=organization, pool=pool, name="acme-mail1.example")
    Inbox.objects.create(organization=organization, domain=domain, address="alex@acme-mail1.example")
    return domain


@pytest.fixture
def admin_client(db, django_user_model) -> Client:
    client = Client()
    client.force_login(django_user_model.objects.create_superuser("ops", "ops@rex.example", "ops password"))
    return client
