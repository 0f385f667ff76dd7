"""``GET /api/replies/<id>/`` gives the message with its whole conversation, oldest first: the sequence's emails
to the contact (step number and variant) and the replies that came back, plus the triage (layer, confidence, the
details: bounce, return date, referral, the reason) and what REX did about it."""

from datetime import timedelta

from replies.tests.seed import inbound


def test_thread_of_a_reply_lists_the_steps_then_the_replies(api_client, seeded):
    # Bob writes again later: the same conversation, after his first reply.
    later = inbound(seeded.bob.organization, inbox=seeded.first, from_address="bob@client.example",
                    subject="Re: Quick question, Bob", text="Also, bring your pricing.", category="question",
                    layer="llm", confidence=0.81, answers=seeded.bob_sent[1], contact=seeded.bob_contact,
                    enrollment=seeded.bob_enrollment, received_at=seeded.bob.received_at + timedelta(hours=3))

    body = api_client.get(f"/api/replies/{seeded.bob.pk}/").json()

    thread = [(i["kind"], i["step"], i["variant"], i["subject"], i["text"]) for i in body["thread"]]
    assert thread == [
        ("outbound", 1, "B", "Quick question, Bob", ""),
        ("outbound", 3, "A", "Re: Quick question, Bob", ""),
        ("inbound", None, "", "Re: Quick question, Bob", "Sounds good, can we talk Thursday?"),
        ("inbound", None, "", "Re: Quick question, Bob", "Also, bring your pricing."),
    ]
    assert [i["id"] for i in body["thread"][2:]] == [str(seeded.bob.pk), str(later.pk)]
    assert body["thread"][0]["from_address"] == seeded.first.address
    assert body["thread"][0]["status"] == "sent"
    assert body["thread"][3]["category"] == "question"
    assert (body["category"], body["layer"], body["confidence"]) == ("interested", "rules", 0.92)
    assert body["details"] == {"reason": "asks for a meeting"}
    assert body["actions"] == [{"kind": "stopped", "text": "stopped the sequence (the contact replied)"}]
    assert body["enrollment"]["id"] == seeded.bob_enrollment.pk
    assert body["can_reply"] is True
    assert body["message_id"] == seeded.bob.message_id


def test_triage_details_of_a_bounce_and_an_out_of_office(api_client, seeded):
    bounce = api_client.get(f"/api/replies/{seeded.bounce.pk}/").json()
    assert bounce["details"]["bounce"] == {"class": "hard", "recipient": "dave@gone.example", "status": "5.1.1",
                                           "reason": "no such user"}
    assert [i["kind"] for i in bounce["thread"]] == ["outbound", "inbound"]
    carol = api_client.get(f"/api/replies/{seeded.carol.pk}/").json()
    assert carol["details"]["return_date"] == "2027-01-12"
    assert carol["inbox"] == seeded.second.address


def test_a_message_matched_to_nothing_is_a_thread_of_one(api_client, seeded):
    body = api_client.get(f"/api/replies/{seeded.lost.pk}/").json()
    assert [(i["kind"], i["id"]) for i in body["thread"]] == [("inbound", str(seeded.lost.pk))]
    assert body["needs_review"] is True and body["layer"] == "review"
    assert body["campaign"] is None and body["contact"] is None
