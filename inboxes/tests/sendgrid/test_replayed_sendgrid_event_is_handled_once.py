from inboxes.models import InboxDay, Suppression
from inboxes.tests.webhook_helpers import event, sent_message


def test_replayed_sendgrid_event_is_handled_once(client, sendgrid_webhook, make_inbox, sender):
    inbox = make_inbox(provider="sendgrid")
    bounce = event("bounce", sent_message(sender, inbox, "gone@client.example"), type="bounce")

    first = sendgrid_webhook.post(client, [bounce])
    # SendGrid redelivers a batch it did not see acknowledged; the same event id must not count twice.
    replay = sendgrid_webhook.post(client, [bounce])

    assert first.json() == {"handled": 1, "duplicate": 0, "ignored": 0}
    assert replay.status_code == 200
    assert replay.json() == {"handled": 0, "duplicate": 1, "ignored": 0}
    assert InboxDay.objects.get(inbox=inbox).bounces == 1
    assert Suppression.objects.filter(email="gone@client.example").count() == 1
