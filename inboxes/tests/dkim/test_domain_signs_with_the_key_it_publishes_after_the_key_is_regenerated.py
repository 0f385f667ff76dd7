from core.crypto import encrypt
from domains.dns_provider import generate_dkim_private_key
from domains.models import Domain
from inboxes.sending import send_email
from inboxes.tests.conftest import dkim_dnsfunc, dkim_verified


def test_domain_signs_with_the_key_it_publishes_after_the_key_is_regenerated(smtp_server, dkim_dns, make_inbox,
                                                                             sender):
    server = smtp_server()
    inbox = make_inbox(smtp_port=server.port)
    dkim_dns.publish(inbox.domain)
    old_key_record = dkim_dnsfunc(inbox.domain)
    send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="Before", body="Hi",
               idempotency_key="dkim-before")

    # A new key is stored and published; `inbox` and its domain are the instances loaded before the change.
    Domain.objects.filter(pk=inbox.domain_id).update(dkim_private_key_encrypted=encrypt(generate_dkim_private_key()))
    dkim_dns.publish(Domain.objects.get(pk=inbox.domain_id))
    send_email(organization=sender, inbox=inbox, to="bob@client.example", subject="After", body="Hi",
               idempotency_key="dkim-after")

    before, after = server.messages
    # What DNS serves now verifies the message signed after the change, and only that one.
    assert after.dkim_verified(dkim_dns.dnsfunc)
    assert not before.dkim_verified(dkim_dns.dnsfunc)
    # The new message was not signed with the old key.
    assert dkim_verified(before.raw, old_key_record)
    assert not dkim_verified(after.raw, old_key_record)
