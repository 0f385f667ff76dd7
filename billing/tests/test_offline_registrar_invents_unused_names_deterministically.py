"""The offline registrar names a client's new domains "<client>-<word><n>.<tld>", skipping names REX already has
and names promised to other purchases, and gives the same names for the same existing rows."""

from billing.providers import OfflineRegistrar, get_registrar
from domains.models import Domain, DomainPool


def test_names_skip_existing_domains_and_excluded_names(organization, settings):
    settings.REX_DOMAIN_TLD = "test"
    pool = DomainPool.for_client(organization, "acme")
    Domain.objects.create(organization=organization, pool=pool, name="acme-co-mail1.test")
    registrar = get_registrar()

    names = registrar.suggest("Acme & Co", 8, exclude={"acme-co-team1.test"})

    assert isinstance(registrar, OfflineRegistrar)
    assert names == ["acme-co-hello1.test", "acme-co-go1.test", "acme-co-get1.test", "acme-co-try1.test",
                     "acme-co-mail2.test", "acme-co-hello2.test", "acme-co-team2.test", "acme-co-go2.test"]
    assert registrar.suggest("Acme & Co", 8, exclude={"acme-co-team1.test"}) == names
    assert registrar.available(["acme-co-mail1.test", "acme-co-mail9.test"]) == {"acme-co-mail9.test"}
    assert registrar.register("acme-co-hello1.test", organization=organization) == "offline-acme-co-hello1.test"


def test_client_names_become_valid_dns_labels():
    assert OfflineRegistrar.client_label("  Über_Client!! ") == "uber-client"
    assert len(OfflineRegistrar.client_label("x" * 200)) == 40
    assert OfflineRegistrar.client_label("!!!") == ""
