from inboxes.models import Suppression
from inboxes.suppression import is_suppressed, suppress


def test_suppression_is_idempotent_and_matches_email_case_and_phone_formats(sender, make_contact,
                                                                            other_organization_client):
    contact = make_contact("Bob@Client.example", phone="+44 7700 900123")

    first = suppress(sender, email=" BOB@client.EXAMPLE ", contact=contact, reason="unsubscribe", source="page")
    again = suppress(sender, phone="+447700900123", contact=contact, reason="sms_stop", source="sms")

    assert {row.pk for row in first} == {row.pk for row in again}
    assert Suppression.objects.filter(organization=sender).count() == 2
    # The first reason stays: that is when the person first asked.
    assert set(Suppression.objects.values_list("reason", flat=True)) == {"unsubscribe"}
    assert is_suppressed(sender, email="bob@CLIENT.example")
    for typed in ("+44 (0) 7700 900123", "+44-7700-900-123", "011 44 7700 900123"):  # 011: the US exit code
        assert is_suppressed(sender, phone=typed), typed
    assert not is_suppressed(sender, email="alice@client.example", phone="+14155550123")
    assert not is_suppressed(sender)

    from tenants.models import Organization

    other = Organization.objects.get(slug="globex")
    assert not is_suppressed(other, email="bob@client.example")  # each organization has its own list
