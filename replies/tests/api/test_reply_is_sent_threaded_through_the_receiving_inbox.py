"""``POST /api/replies/<id>/reply`` sends the answer through the inbox that received the message, to its sender,
with the subject "Re: <subject>" (never "Re: Re:") and threaded under it: In-Reply-To is the message's Message-ID
and References its References followed by its Message-ID. The answer is 201 with the sent message, and the thread
shows it with its text and who wrote it."""

from inboxes.models import OutboundMessage
from replies.models import SentReply
from replies.services import reply_subject


def test_reply_goes_out_threaded_from_the_receiving_inbox(api_client, smtp_seeded, user):
    world = smtp_seeded
    response = api_client.post(f"/api/replies/{world.carol.pk}/reply",
                               {"body": "Enjoy the break, Carol. I'll write again on the 13th.",
                                "request_id": "0d4f7c1e-reply-1"}, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "sent"
    assert (body["from_address"], body["to_address"]) == (world.second.address, "carol@other.example")
    assert body["subject"] == "Re: Automatic reply: Quick question, Carol"
    assert body["in_reply_to"] == world.carol.message_id
    assert body["references"] == f"{world.carol.references} {world.carol.message_id}"
    assert body["sent_by"] == "alice" and body["body"].startswith("Enjoy the break")

    [mail] = world.smtp.messages
    assert mail.rcpt_tos == ["carol@other.example"]
    assert mail.mail_from == world.second.address
    sent = mail.message
    assert sent["In-Reply-To"] == world.carol.message_id
    assert sent["References"].split() == [*world.carol.references.split(), world.carol.message_id]
    assert sent["Subject"] == "Re: Automatic reply: Quick question, Carol"
    assert "Enjoy the break, Carol." in mail.text_body()

    outbound = OutboundMessage.objects.get(pk=body["id"])
    assert (outbound.inbox, outbound.contact.email, outbound.campaign) == (world.second, "carol@other.example",
                                                                           world.campaign)
    assert SentReply.objects.get(message=outbound).sent_by == user

    thread = api_client.get(f"/api/replies/{world.carol.pk}/").json()["thread"]
    assert [(i["kind"], i["sent_by"]) for i in thread] == [("outbound", ""), ("inbound", ""), ("outbound", "alice")]
    assert thread[-1]["text"] == "Enjoy the break, Carol. I'll write again on the 13th."


def test_a_reply_subject_is_never_re_re():
    assert reply_subject("Re: Quick question") == "Re: Quick question"
    assert reply_subject("RE:Quick question") == "RE:Quick question"
    assert reply_subject("Quick question") == "Re: Quick question"
    assert reply_subject("") == "Re:"
