from inboxes.models import BounceRecord, InboxDay, Suppression
from inboxes.suppression import is_suppressed
from inboxes.tests.webhook_helpers import event, sent_message


def test_signed_sendgrid_webhook_records_bounces_and_complaints_and_suppresses(client, sendgrid_webhook, make_inbox,
                                                                               make_contact, sender):
    inbox = make_inbox(provider="sendgrid")
    bounced = sent_message(sender, inbox, "gone@client.example",
                           contact=make_contact("gone@client.example", phone="+14155550100"))
    complained = sent_message(sender, inbox, "angry@client.example",
                              contact=make_contact("angry@client.example", phone="+14155550111"))
    unsubscribed = sent_message(sender, inbox, "done@client.example")
    soft = sent_message(sender, inbox, "full@client.example")

    response = sendgrid_webhook.post(client, [
        event("bounce", bounced, type="bounce", reason="550 5.1.1 no such user"),
        event("spamreport", complained, by="sg_message_id"),  # matched by SendGrid's message id alone
        event("unsubscribe", unsubscribed),
        event("bounce", soft, type="blocked", reason="452 mailbox full"),  # soft: recorded, not a reason to give up
        event("delivered", soft),
    ])

    assert response.status_code == 200
    assert response.json() == {"handled": 4, "duplicate": 0, "ignored": 1}
    day = InboxDay.objects.get(inbox=inbox, day=bounced.slot_day)
    assert (day.bounces, day.complaints) == (1, 1)

    reasons = {(s.email, s.phone): s.reason for s in Suppression.objects.filter(organization=sender)}
    assert reasons == {
        # A dead address is not an opt-out: the bounced contact's phone stays reachable.
        ("gone@client.example", ""): "bounce",
        # A complaint is: every channel of the contact.
        ("angry@client.example", ""): "complaint",
        ("", "+14155550111"): "complaint",
        ("done@client.example", ""): "unsubscribe",
    }
    assert is_suppressed(sender, email="Gone@Client.example")
    assert not is_suppressed(sender, email="full@client.example")
    classes = dict(BounceRecord.objects.values_list("recipient", "klass"))
    assert classes == {"gone@client.example": "hard", "full@client.example": "soft"}
