"""A person REX knows well, written where the real code writes them: a contact with a phone, an enrollment and its
audit trail, an email sent and its bounce, a reply (raw MIME, triage details) and the answer sent to it, audit
logs, an LLM request (placeholders, pseudonyms, the restored answer), a mission, its events and the command that
made it, and another contact whose source quotes them (a referral)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from agents.models import AgentLog, LLMRequest
from campaigns.models import Campaign, Contact, Enrollment, EnrollmentTransition
from inboxes.models import BounceRecord, OutboundMessage
from inboxes.tests.conftest import (  # noqa: F401 - fixtures shared with the inboxes tests
    make_inbox,
    sender,
    smtp_server,
)
from missions.models import CommandDecision, Mission, MissionEvent
from replies.models import InboundMessage, SentReply
from replies.tests.seed import raw_email

EMAIL = "Jane.Doe@Client.example"
PHONE = "+447700900123"


@pytest.fixture
def jane(organization):
    contact = Contact.objects.create(organization=organization, email=EMAIL, phone=PHONE, first_name="Jane",
                                     last_name="Doe", company="Client Ltd", custom_fields={"job_title": "CFO"},
                                     source="csv:leads.csv row 2 by alice", llm_consent=True)
    campaign = Campaign.objects.create(organization=organization, name="Spring launch", slug="spring-launch")
    enrollment = Enrollment.objects.create(organization=organization, campaign=campaign, contact=contact,
                                           thread_subject="Jane, a quick idea for Client Ltd", emails_sent=1)
    EnrollmentTransition.objects.create(enrollment=enrollment, to_state="active",
                                        reason=f"enrolled {EMAIL.lower()} from list cfo-uk")
    sent = OutboundMessage.objects.create(organization=organization, campaign=campaign, contact=contact,
                                          idempotency_key="seq:1:0", to_address=EMAIL.lower(),
                                          subject="Jane, a quick idea for Client Ltd",
                                          status=OutboundMessage.Status.SENT, message_id="<m1@rex.example>")
    bounce = BounceRecord.objects.create(organization=organization, message=sent, recipient=EMAIL.lower(),
                                         klass=BounceRecord.Class.SOFT, status="4.2.2",
                                         reason=f"mailbox of {EMAIL.lower()} is full", source="imap 7")
    reply = InboundMessage.objects.create(
        organization=organization, folder="INBOX", message_id="<r1@client.example>",
        raw=raw_email(from_address=f"Jane Doe <{EMAIL}>", to_address="sales@rex.example",
                      subject="Re: a quick idea", body=f"Call me on {PHONE}. Jane", message_id="<r1@client.example>",
                      in_reply_to="<m1@rex.example>"),
        from_address=EMAIL.lower(), from_name="Jane Doe", to_address="sales@rex.example", subject="Re: a quick idea",
        body_text=f"Call me on {PHONE}. Jane", new_text=f"Call me on {PHONE}.", outbound=sent, contact=contact,
        enrollment=enrollment, category="interested", layer="rules", confidence=0.9,
        details={"reason": "phrase 'call me'"}, actions=["notified owners"])
    answer = OutboundMessage.objects.create(organization=organization, contact=contact, idempotency_key="reply:1",
                                            to_address=EMAIL.lower(), subject="Re: a quick idea",
                                            status=OutboundMessage.Status.SENT)
    SentReply.objects.create(inbound=reply, message=answer, body="Hi Jane, Tuesday 10:00 works.",
                             request_id="click-1")
    mission = Mission.objects.create(organization=organization, type="send_campaign", idempotency_key="k1",
                                     params={"note": f"resend to {EMAIL.lower()}"},
                                     result={"sent_to": [EMAIL.lower(), "other@client.example"]})
    MissionEvent.objects.create(mission=mission, seq=1, kind="transition", to_status="queued",
                                message=f"queued for {EMAIL.lower()}", data={"recipient": EMAIL.lower()})
    decision = CommandDecision.objects.create(organization=organization, text=f"email {EMAIL.lower()} again",
                                              payload={"text": f"email {EMAIL.lower()} again"}, layer="rules",
                                              outcome="created", summary=f"one mission for {EMAIL.lower()}")
    # Stored as it would be by an update(): the audit log redacts what it is given, so a quote reaches it only
    # through a path that bypasses save(); erasure must find it all the same.
    log = AgentLog.objects.create(organization=organization, mission=mission, agent="sender", action="send")
    AgentLog.objects.filter(pk=log.pk).update(payload={"note": f"sent to {EMAIL.lower()} / {PHONE}"})
    llm = LLMRequest.objects.create(organization=organization, mission=mission, agent="triage", prompt_hash="0" * 64,
                                    messages_as_sent=[{"role": "user", "content": "Call me on <PHONE_1>"}],
                                    pseudonyms={"<EMAIL_1>": EMAIL.lower(), "<PHONE_1>": PHONE},
                                    raw_answer="<EMAIL_1> is interested", answer=f"{EMAIL.lower()} is interested")
    referral = Contact.objects.create(organization=organization, email="sam@client.example",
                                      source=f"referral from {EMAIL.lower()}",
                                      custom_fields={"referred_by": EMAIL.lower()})
    return SimpleNamespace(email=EMAIL.lower(), phone=PHONE, contact=contact, campaign=campaign,
                           enrollment=enrollment, sent=sent, bounce=bounce, reply=reply, answer=answer,
                           mission=mission, decision=decision, log=log, llm=llm, referral=referral)
