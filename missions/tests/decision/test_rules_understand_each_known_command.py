"""Layer 2 reads every command form of the grammar, with the usual variants, into the right mission and params."""

import uuid
from datetime import date

import pytest

from domains.tests.factories import add_inboxes, create_domain
from missions.decision import EXAMPLE_COMMANDS, decide
from missions.models import Mission
from missions.services import CommandRejected

TODAY = date(2026, 11, 24)  # a Tuesday: "next week" is Monday 30 November to Friday 4 December

ACME_5 = ("provision_domains", {"count": 5, "client": "acme", "warmup": True})
SPRING_TO_CFO = ("send_campaign", {"campaign": "spring-launch", "list": "cfo-uk"})
NEXT_WEEK = {"attendee": "jane@acme.example", "window_start": "2026-11-30", "window_end": "2026-12-04"}

PHRASINGS = {
    # warm up N new domains for X
    "warm up 5 new domains for acme": ("provision_domains", *ACME_5),
    "Warm up 5 new domains for acme.": ("provision_domains", *ACME_5),
    "please warm-up five new domains for acme!": ("provision_domains", *ACME_5),
    "  warm   up 5 NEW domains   for acme ": ("provision_domains", *ACME_5),
    "warmup 5 domains for client acme, thanks": ("provision_domains", *ACME_5),
    "Rex, could you warm up twenty new domains for 'Acme Corp'?":
        ("provision_domains", "provision_domains", {"count": 20, "client": "Acme Corp", "warmup": True}),
    "warm up a new domain for globex": ("provision_domains", "provision_domains",
                                        {"count": 1, "client": "globex", "warmup": True}),
    "provision 3 domains for \u201cInitech\u201d": ("provision_domains", "provision_domains",
                                                    {"count": 3, "client": "Initech", "warmup": True}),
    # warm up domain D
    "warm up domain foo.example": ("warmup_domain", "warmup", {"domain": "foo.example"}),
    "Warm-up the domain Mail.Foo.Example.": ("warmup_domain", "warmup", {"domain": "mail.foo.example"}),
    "warmup foo-bar.example": ("warmup_domain", "warmup", {"domain": "foo-bar.example"}),
    # send campaign C to list L
    "send campaign spring-launch to list cfo-uk": ("send_campaign", *SPRING_TO_CFO),
    "Send the campaign spring-launch to the list cfo-uk.": ("send_campaign", *SPRING_TO_CFO),
    "please send campaign \"spring-launch\" to mailing list 'cfo-uk'": ("send_campaign", *SPRING_TO_CFO),
    "send campaign 'Spring Launch' to list \"CFOs UK\"": ("send_campaign", "send_campaign",
                                                          {"campaign": "Spring Launch", "list": "CFOs UK"}),
    # start campaign C with sequence S for list L; pause / resume campaign C
    "start campaign spring-launch with sequence three-touches for list cfo-uk": (
        "start_campaign", "start_campaign", {"campaign": "spring-launch", "sequence": "three-touches", "list": "cfo-uk"}),
    "Launch the campaign 'Spring Launch' using sequence \"Three touches\" to the list cfo-uk.": (
        "start_campaign", "start_campaign", {"campaign": "Spring Launch", "sequence": "Three touches", "list": "cfo-uk"}),
    "pause campaign spring-launch": ("pause_campaign", "pause_campaign", {"campaign": "spring-launch"}),
    "Please pause the campaign spring-launch.": ("pause_campaign", "pause_campaign", {"campaign": "spring-launch"}),
    "resume campaign spring-launch": ("resume_campaign", "resume_campaign", {"campaign": "spring-launch"}),
    "unpause the campaign 'Spring Launch'": ("resume_campaign", "resume_campaign", {"campaign": "Spring Launch"}),
    # assign N domains to campaign X
    "assign 2 domains to campaign X": ("assign_domains", "assign_domains", {"count": 2, "campaign": "X"}),
    "assign two more domains to the campaign spring-launch": ("assign_domains", "assign_domains",
                                                              {"count": 2, "campaign": "spring-launch"}),
    "Assign one domain to campaign x!": ("assign_domains", "assign_domains", {"count": 1, "campaign": "x"}),
    # book a meeting with EMAIL <when>
    "book a meeting with jane@acme.example next week": ("book_meeting", "book_meeting", NEXT_WEEK),
    "Book a meeting with Jane@Acme.Example next week.": ("book_meeting", "book_meeting", NEXT_WEEK),
    "schedule a call with jane@acme.example tomorrow": (
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-11-25", "window_end": "2026-11-25"}),
    "book a meeting with jane@acme.example on friday": (
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-11-27", "window_end": "2026-11-27"}),
    "book a meeting with jane@acme.example on tuesday": (  # today is Tuesday: the next one
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-12-01", "window_end": "2026-12-01"}),
    "book a meeting with jane@acme.example on 2026-12-10": (
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-12-10", "window_end": "2026-12-10"}),
    "book a meeting with jane@acme.example between 2026-12-01 and 2026-12-03": (
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-12-01", "window_end": "2026-12-03"}),
    "book a meeting with jane@acme.example between monday and friday": (
        "book_meeting", "book_meeting", NEXT_WEEK),
    "book a meeting with jane@acme.example today": (
        "book_meeting", "book_meeting",
        {"attendee": "jane@acme.example", "window_start": "2026-11-24", "window_end": "2026-11-24"}),
    # triage replies [for campaign X]
    "triage replies": ("triage_replies", "triage_replies", {}),
    "Triage the new replies, please": ("triage_replies", "triage_replies", {}),
    "triage replies for campaign spring-launch": ("triage_replies", "triage_replies", {"campaign": "spring-launch"}),
    "triage all replies from the campaign 'Spring Launch'.": ("triage_replies", "triage_replies",
                                                              {"campaign": "Spring Launch"}),
    # run a canary
    "run a canary": ("canary", "canary", {}),
    "canary": ("canary", "canary", {}),
    "Please start the canary test.": ("canary", "canary", {}),
}


@pytest.mark.parametrize("text, expected", PHRASINGS.items(), ids=PHRASINGS.keys())
def test_rules_read_the_command(organization, text, expected):
    intent, mission_type, params = expected

    decision = decide({"command": text}, organization=organization, today=TODAY)

    assert decision.layer == "rules"
    assert decision.intent == intent
    assert [(spec.type, spec.params, spec.priority) for spec in decision.missions] == [(mission_type, params, "normal")]
    assert decision.answer is None
    assert decision.summary.endswith(f"→ {mission_type}(" + ", ".join(f"{k}={v!r}" for k, v in params.items()) + ")")
    assert not Mission.objects.exists(), "deciding creates nothing"


def test_the_summary_is_one_readable_line(organization):
    decision = decide({"command": "warm up 5 new domains for acme"}, organization=organization, today=TODAY)

    assert decision.summary == "warm up 5 new domains for acme → provision_domains(count=5, client='acme', warmup=True)"


def test_the_callers_priority_applies_to_the_missions(organization):
    decision = decide({"command": "run a canary", "priority": "high"}, organization=organization, today=TODAY)

    assert decision.missions[0].priority == "high"


@pytest.mark.parametrize("example", EXAMPLE_COMMANDS)
def test_every_example_shown_to_users_is_understood(organization, example):
    # The status example names mission 41f0f018…, the questions and controls client acme's domain and inbox:
    # make them exist.
    Mission.objects.create(id=uuid.UUID("41f0f018-4c5a-43cf-b3a0-494d8e54ec39"), organization=organization,
                           type="canary", idempotency_key="example-mission")
    add_inboxes(create_domain(organization, "acme-outreach.example", client="acme"), local_part="alex")
    add_inboxes(create_domain(organization, "acme-reach.example", client="acme", state="resting"), local_part="alex",
                status="paused")

    decision = decide({"command": example}, organization=organization, today=TODAY)

    assert decision.layer == "rules"
    if decision.intent == "mission_status":
        assert decision.answer["mission"]["id"].startswith("41f0f018")
    else:  # a mission to create, a control to run when carried out, or an answer to show
        assert decision.missions or decision.control or decision.answer["kind"] in ("number", "table")


@pytest.mark.parametrize("text, message", [
    ("book a meeting with jane@acme.example", "when should the meeting be?"),
    ("book a meeting with jane@acme.example someday", "cannot read the day 'someday'"),
    ("book a meeting with jane@acme.example on 2026-11-01", "2026-11-01, which is in the past"),
    ("book a meeting with jane@acme.example on 2028-01-01", "more than a year ahead"),
    ("book a meeting with jane@acme.example between 2026-12-05 and 2026-12-01", "before it starts"),
    ("warm up 500 new domains for acme", "count: Input should be less than or equal to 100"),
    ("assign 0 domains to campaign x", "count: Input should be greater than or equal to 1"),
])
def test_a_recognised_command_with_wrong_values_says_what_is_wrong(organization, text, message):
    with pytest.raises(CommandRejected) as refused:
        decide({"command": text}, organization=organization, today=TODAY)

    [error] = refused.value.errors["command"]
    assert error.startswith("understood as '")
    assert message in error
