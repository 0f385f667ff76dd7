"""REX_PAYMENT_PROVIDER picks the payment provider: "offline" (the default) approves with a reference derived from
the purchase; a dotted path plugs another; a path that does not lead to a provider stops with a clear error."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured

from billing.models import Purchase
from billing.providers import OfflineProvider, get_provider
from billing.tests.providers import PROVIDERS_MODULE, RecordingProvider


def test_offline_is_the_default_and_answers_deterministically(settings):
    settings.REX_PAYMENT_PROVIDER = "offline"
    purchase = Purchase(id=uuid.UUID("00000000-0000-0000-0000-000000000042"), total_cents=1500)

    provider = get_provider()

    assert isinstance(provider, OfflineProvider)
    assert provider.charge(purchase).reference == "offline-00000000-0000-0000-0000-000000000042"
    assert provider.charge(purchase) == provider.charge(purchase)
    assert provider.refund(purchase, 1500) == "offline-refund-00000000-0000-0000-0000-000000000042"


def test_a_dotted_path_plugs_another_provider(settings):
    settings.REX_PAYMENT_PROVIDER = f"{PROVIDERS_MODULE}.RecordingProvider"

    assert isinstance(get_provider(), RecordingProvider)


@pytest.mark.parametrize("path, message", [
    ("billing.tests.providers.NoSuchProvider", "cannot be imported"),
    ("stripe", "cannot be imported"),
    (f"{PROVIDERS_MODULE}.NotAProvider", "is not a subclass of billing.providers.PaymentProvider"),
])
def test_a_bad_path_is_improperly_configured(settings, path, message):
    settings.REX_PAYMENT_PROVIDER = path

    with pytest.raises(ImproperlyConfigured, match=message):
        get_provider()
