"""A cancellation whose commit fails never reached the payment provider: the refund is asked only after the
cancellation and its refund entry committed. (In the old order the provider refunded first, the commit then
failed, the purchase stayed paid, and cancelling again refunded a second time.) Asked again, it refunds once."""

from collections.abc import Iterator

import pytest
from django.db import DatabaseError, connection

from billing.models import LedgerEntry, Purchase
from billing.services import cancel, purchase

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def commit_refused_for_refunds() -> Iterator[None]:
    """PostgreSQL refuses, at COMMIT, any transaction that wrote a refund ledger entry (a deferred trigger)."""
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION rex_test_refuse_commit() RETURNS trigger LANGUAGE plpgsql AS
            $$ BEGIN RAISE EXCEPTION 'commit refused by the test'; END $$""")
        cursor.execute("""
            CREATE CONSTRAINT TRIGGER rex_test_refuse_refund_commit AFTER INSERT ON billing_ledgerentry
            DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.kind = 'refund')
            EXECUTE FUNCTION rex_test_refuse_commit()""")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TRIGGER IF EXISTS rex_test_refuse_refund_commit ON billing_ledgerentry")
            cursor.execute("DROP FUNCTION IF EXISTS rex_test_refuse_commit()")


def test_a_failed_commit_refunds_nothing_and_the_next_cancel_refunds_once(organization, recording_provider,
                                                                        commit_refused_for_refunds):
    bought, _ = purchase(organization, idempotency_key="order-0001", domains=1, client="acme")

    with pytest.raises(DatabaseError, match="commit refused by the test"):
        cancel(bought, reason="client churned")

    bought.refresh_from_db()
    assert bought.status == Purchase.Status.PAID
    assert recording_provider.refunds == []
    assert not LedgerEntry.objects.filter(kind=LedgerEntry.Kind.REFUND).exists()

    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER rex_test_refuse_refund_commit ON billing_ledgerentry")
    assert cancel(bought, reason="client churned") is True
    assert cancel(bought, reason="asked again") is False

    assert bought.status == Purchase.Status.CANCELLED
    assert recording_provider.refunds == [(str(bought.id), 2850)]
    assert LedgerEntry.objects.get(kind=LedgerEntry.Kind.REFUND).amount_cents == 2850
