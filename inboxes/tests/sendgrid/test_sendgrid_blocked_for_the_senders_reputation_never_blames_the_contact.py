"""SendGrid's "blocked" and "dropped" events go through the same classes as every bounce: a refusal of the sender
(DMARC, a blocklist) never suppresses the contact, and enough of them within an hour pause the domain's inboxes
with an incident that says why."""

from inboxes.models import BounceRecord, Inbox, Incident, Suppression
from inboxes.tests.webhook_helpers import event, sent_message


def test_sendgrid_blocked_for_the_senders_reputation_never_blames_the_contact(client, sendgrid_webhook, make_inbox,
                                                                             sender, settings):
    settings.REX_INFRA_BOUNCES_TO_PAUSE = 2
    inbox = make_inbox(provider="sendgrid")
    first = sent_message(sender, inbox, "a@bigmail.example")
    second = sent_message(sender, inbox, "b@bigmail.example")

    response = sendgrid_webhook.post(client, [
        event("bounce", first, type="blocked", status="5.7.26",
              reason="550 5.7.26 Unauthenticated email from send1.test.example is not accepted due to DMARC policy"),
        event("bounce", second, type="blocked", status="5.7.1",
              reason="554 5.7.1 Service unavailable; Client host blocked using zen.spamhaus.org"),
    ])

    assert response.json() == {"handled": 2, "duplicate": 0, "ignored": 0}
    assert not Suppression.objects.exists()
    assert set(BounceRecord.objects.values_list("klass", flat=True)) == {"infrastructure"}
    incident = Incident.objects.get()
    assert incident.domain_id == inbox.domain_id and "bigmail.example" in incident.reason
    assert Inbox.objects.get(pk=inbox.pk).status == Inbox.Status.PAUSED
