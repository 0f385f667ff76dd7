"""``manage.py rex_export_contact EMAIL`` prints, as JSON, the person's contact, enrollments, messages both ways with
their triage, bounces, suppressions, and every log, LLM payload and mission that quotes them; and audits the export
without writing the address into the audit log."""

from __future__ import annotations

import io
import json

from django.core.management import call_command

from agents.models import AgentLog
from inboxes.addresses import email_digest
from inboxes.suppression import suppress


def _export(*args: str) -> dict:
    out = io.StringIO()
    call_command("rex_export_contact", *args, stdout=out)
    return json.loads(out.getvalue())


def test_the_export_holds_every_kind_of_data_about_the_person(jane, organization):
    suppress(organization, email=jane.email, reason="unsubscribe", source="link")
    data = _export(jane.email.upper())
    assert data["email"] == jane.email
    [held] = data["organizations"]
    assert held["organization"] == "acme"
    assert held["contact"]["first_name"] == "Jane"
    assert held["contact"]["phone"] == jane.phone
    assert held["contact"]["source"] == "csv:leads.csv row 2 by alice"
    [enrollment] = held["enrollments"]
    assert enrollment["campaign"] == "spring-launch"
    assert {t["reason"] for t in enrollment["transitions"]} >= {f"enrolled {jane.email} from list cfo-uk"}
    assert {m["id"] for m in held["messages_sent"]} == {str(jane.sent.pk), str(jane.answer.pk)}
    assert "Hi Jane, Tuesday 10:00 works." in {m["reply_text"] for m in held["messages_sent"]}
    [received] = held["messages_received"]
    assert received["body_text"].startswith("Call me on")
    assert received["triage"]["category"] == "interested"
    assert [b["status"] for b in held["bounces"]] == ["4.2.2"]
    assert [s["reason"] for s in held["suppressions"]] == ["unsubscribe"]
    mentions = held["mentions"]
    assert [row["id"] for row in mentions["agents.AgentLog"]] == [str(jane.log.pk)]
    assert mentions["agents.LLMRequest"][0]["pseudonyms"]["<EMAIL_1>"] == jane.email
    assert [row["id"] for row in mentions["missions.Mission"]] == [str(jane.mission.pk)]
    assert len(mentions["missions.MissionEvent"]) == 1
    assert len(mentions["missions.CommandDecision"]) == 1
    assert [row["id"] for row in mentions["campaigns.Contact"]] == [str(jane.referral.pk)]


def test_the_export_is_audited_by_digest_not_by_address(jane, organization):
    _export(jane.email, "--organization", "acme", "--actor", "dpo")
    audit = AgentLog.objects.get(agent="privacy", action="export_contact")
    assert audit.payload == {"email_sha256": email_digest(jane.email), "actor": "dpo"}
