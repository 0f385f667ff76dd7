"""An event without ``sg_event_id`` is told from its replay by a hash of its canonical JSON: the redelivered batch
counts the bounce once; a different event for the same message still counts."""

from inboxes.models import InboxDay
from inboxes.tests.webhook_helpers import event, sent_message


def test_replayed_event_without_an_id_is_handled_once(client, sendgrid_webhook, make_inbox, sender):
    inbox = make_inbox(provider="sendgrid")
    bounce = event("bounce", sent_message(sender, inbox, "gone@client.example"), type="bounce")
    del bounce["sg_event_id"]
    # Same event, keys in another order: the same canonical JSON.
    reordered = dict(reversed(list(bounce.items())))

    first = sendgrid_webhook.post(client, [bounce])
    replay = sendgrid_webhook.post(client, [reordered])
    another = sendgrid_webhook.post(client, [{**bounce, "timestamp": bounce["timestamp"] + 1}])

    assert first.json() == {"handled": 1, "duplicate": 0, "ignored": 0}
    assert replay.json() == {"handled": 0, "duplicate": 1, "ignored": 0}
    assert another.json() == {"handled": 1, "duplicate": 0, "ignored": 0}
    assert InboxDay.objects.get(inbox=inbox).bounces == 2
