"""In a real browser, on the real web role: the book-meeting agent (run by the real mission runner) has drafted an
answer to an interested reply, and it waits on the Inbox page under "Drafts awaiting approval" with its recipient,
subject, three proposed times and its text in a textarea. A second draft, written while the page is open, appears
without a reload (the ``meetings`` stream's ``meeting.draft`` frame). The rep edits the first one's text and
approves it: exactly the edited text reaches the SMTP server, threaded under the reply, and the draft leaves the
list. The rep rejects the second with a reason: nothing is sent, and the reason is kept with the draft. All of it
under the page's strict CSP, without a violation.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from selenium.webdriver.common.by import By

from campaigns.services import start_campaign
from inboxes.models import OutboundMessage
from meetings.models import MeetingDraft
from missions import runner
from missions.models import Mission
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from replies.actions import act_on
from replies.matching import match_message

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def answer_interested_reply(world, inbound, person) -> None:
    """``person`` answers the first step with interest; the book_meeting mission runs and drafts the answer."""
    first = OutboundMessage.objects.get(to_address=person.email)
    reply = inbound(world.world, f"{person.first_name} <{person.email}>", "Sounds great, let's talk.",
                    category="interested", in_reply_to=first.message_id, subject=f"Re: {first.subject}")
    act_on(reply, match_message(reply))
    for mission in Mission.objects.filter(type="book_meeting", status="queued"):
        runner.run_claimed(str(mission.pk), worker="test")
        mission.refresh_from_db()
        assert mission.status == "succeeded", mission.error


def drafts_listed(driver) -> list[int]:
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#drafts-list .draft-item'), li => Number(li.dataset.id))")


def draft_item(driver, draft: MeetingDraft):
    return driver.find_element(By.CSS_SELECTOR, f'#drafts-list .draft-item[data-id="{draft.pk}"]')


def test_drafts_are_edited_approved_and_rejected_on_the_inbox_page(meeting_world, run_sequencer, inbound,
                                                                    asgi_server, user, browser):
    world = meeting_world(approval_required=True)
    keen, cool = (world.world.contact(email, first_name=name, timezone="America/Chicago")
                  for email, name in (("keen@client.example", "Kim"), ("cool@client.example", "Cory")))
    start_campaign(world.campaign, contact_list=world.world.list)
    run_sequencer(datetime(2026, 12, 7, 16, 0, tzinfo=UTC))  # 10:00 in Chicago: inside the send window
    smtp = world.world.smtp
    assert len(smtp.messages) == 2
    answer_interested_reply(world, inbound, keen)
    kim = MeetingDraft.objects.get(to_address=keen.email)

    browser_test.log_in(browser, asgi_server, user.username, path="/inbox/", ready="meeting-drafts")
    wait_until(browser, lambda d: drafts_listed(d) == [kim.pk], "Kim's draft in the section")
    item = draft_item(browser, kim)
    assert keen.email in item.find_element(By.CSS_SELECTOR, ".draft-to").text
    assert item.find_element(By.CSS_SELECTOR, ".draft-subject").text == kim.subject
    assert [s.get_attribute("data-start") for s in item.find_elements(By.CSS_SELECTOR, ".draft-slot")] == kim.slots
    assert len(kim.slots) == 3
    assert item.find_element(By.CSS_SELECTOR, "textarea.draft-body").get_attribute("value") == kim.body
    wait_until(browser, lambda d: d.execute_script("return window.RexLive.connected"), "the sockets to connect")
    browser.execute_script("window.__marker = 42;")

    # Cory answers while the page is open: his draft appears without a reload.
    answer_interested_reply(world, inbound, cool)
    cory = MeetingDraft.objects.get(to_address=cool.email)
    wait_until(browser, lambda d: drafts_listed(d) == [kim.pk, cory.pk], "Cory's draft to appear live")
    assert browser.find_element(By.ID, "drafts-count").text == "2"

    # Kim's text, edited, then approved (a double click sends once).
    body = draft_item(browser, kim).find_element(By.CSS_SELECTOR, "textarea.draft-body")
    body.clear()
    edited = kim.body.replace("Thanks for getting back to me", "Great to hear from you, Kim")
    body.send_keys(edited)
    approve = draft_item(browser, kim).find_element(By.CSS_SELECTOR, ".draft-approve")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click(); "
                           "arguments[0].click();", approve)
    wait_until(browser, lambda d: drafts_listed(d) == [cory.pk], "Kim's draft to leave the list once sent")
    assert len(smtp.messages) == 3
    sent = smtp.messages[2]
    assert sent.rcpt_tos == [keen.email]
    assert "Great to hear from you, Kim" in sent.text_body()
    assert "Thanks for getting back to me" not in sent.text_body()
    assert sent.message["In-Reply-To"] == kim.reply.message_id
    kim.refresh_from_db()
    assert (kim.status, kim.decided_by, kim.body) == ("sent", user, edited.strip())

    # Cory's draft is rejected with a reason: nothing goes out.
    item = draft_item(browser, cory)
    item.find_element(By.CSS_SELECTOR, "input.draft-reason").send_keys("Cory already booked by phone")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();",
                           item.find_element(By.CSS_SELECTOR, ".draft-reject"))
    wait_until(browser, lambda d: drafts_listed(d) == [], "Cory's draft to leave the list once rejected")
    assert browser.find_element(By.ID, "drafts-empty").is_displayed()
    cory.refresh_from_db()
    assert (cory.status, cory.rejection_reason, cory.decided_by) == ("rejected", "Cory already booked by phone", user)
    assert len(smtp.messages) == 3
    assert not OutboundMessage.objects.filter(to_address=cool.email, sequence_message__isnull=True).exists()
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
    # The section ran under the page's strict CSP: the browser reported no violation.
    assert not [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
