"""In a real browser, the way a sales rep works the Inbox page: log in, see every reply newest first with the
category chips and their counts; a message the server stores meanwhile appears at the top without a reload (and
its chip counts one more); a chip filters the list; a reply opens its thread (the sequence's steps with their
number and variant, then the replies) with its triage; a relabel is kept as a correction ("relabelled by alice");
an answer typed in the reply box goes out through the inbox that received the message, threaded under it (the
SMTP server receives it with In-Reply-To), and shows in the thread.

Set REX_SCREENSHOT_DIR to also save the page as ``inbox-page.png`` there.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from replies.models import InboundMessage, SentReply
from replies.tests.seed import inbound

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def log_in(driver: webdriver.Chrome, base_url: str, user) -> None:
    """Through the real login form, which sends the user back to the Inbox page."""
    driver.get(f"{base_url}/inbox/")
    wait_until(driver, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(browser_test.PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "replies"), "the Inbox page after logging in")


def click(driver: webdriver.Chrome, element: WebElement) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def listed(driver: webdriver.Chrome) -> list[int]:
    # Read in one script: the list is redrawn under the test's feet.
    return driver.execute_script(
        "return Array.from(document.querySelectorAll('#replies .reply-item'), b => Number(b.dataset.id))")


def chip_count(driver: webdriver.Chrome, category: str) -> int:
    return int(driver.execute_script(
        "return document.querySelector(`[data-count-for='${arguments[0]}']`).textContent", category))


def thread(driver: webdriver.Chrome) -> list[tuple[str, str]]:
    """(kind, the item's first line) of every email of the open thread."""
    return [tuple(item) for item in driver.execute_script(
        "return Array.from(document.querySelectorAll('#thread-items .thread-item'),"
        " li => [li.dataset.kind, li.querySelector('.thread-item-who').innerText])")]


def open_reply(driver: webdriver.Chrome, message_id: int, subject: str) -> None:
    click(driver, driver.find_element(By.CSS_SELECTOR, f'#replies .reply-item[data-id="{message_id}"]'))
    wait_until(driver, lambda d: d.find_element(By.ID, "thread").is_displayed()
               and d.find_element(By.ID, "thread").get_attribute("data-id") == str(message_id)
               and d.find_element(By.ID, "thread-title").text == subject, f"the thread of {subject!r}")


def test_inbox_page_live_thread_relabel_and_reply(asgi_server, user, smtp_seeded, browser):
    world = smtp_seeded
    log_in(browser, asgi_server, user)
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the dashboard socket to connect")
    browser.execute_script("window.__marker = 42;")

    # What the server rendered: newest first, with the chips' counts.
    assert listed(browser) == [world.lost.pk, world.carol.pk, world.bounce.pk, world.bob.pk]
    assert (chip_count(browser, ""), chip_count(browser, "interested"), chip_count(browser, "needs_review")) == (4, 1, 1)
    first = browser.find_element(By.CSS_SELECTOR, "#replies .reply-item")
    assert "Hello?" in first.text and "Needs review" in first.text

    # A message stored by the server now (the IMAP reader's work) appears at the top without a reload.
    erin = inbound(world.bob.organization, inbox=world.first, from_address="erin@new.example", from_name="Erin",
                   subject="Re: Quick question", text="Yes please, send me the deck.", category="interested",
                   layer="llm", confidence=0.88)
    wait_until(browser, lambda d: listed(d)[:1] == [erin.pk], "the new reply at the top of the list")
    wait_until(browser, lambda d: chip_count(d, "interested") == 2 and chip_count(d, "") == 5,
               "the chips to count the new reply")
    assert "Yes please, send me the deck." in browser.find_element(By.CSS_SELECTOR, "#replies .reply-item").text

    # A chip filters the list; All shows everything again.
    click(browser, browser.find_element(By.CSS_SELECTOR, '#category-chips .chip[data-category="interested"]'))
    wait_until(browser, lambda d: listed(d) == [erin.pk, world.bob.pk], "the list filtered to Interested")
    click(browser, browser.find_element(By.CSS_SELECTOR, '#category-chips .chip[data-category=""]'))
    wait_until(browser, lambda d: len(listed(d)) == 5, "every reply listed again")

    # Bob's reply: his two sequence emails (step and variant), then his answer, with the triage.
    open_reply(browser, world.bob.pk, "Re: Quick question, Bob")
    wait_until(browser, lambda d: [kind for kind, _ in thread(d)] == ["outbound", "outbound", "inbound"],
               "the thread's three emails")
    items = thread(browser)
    assert items[0][1].startswith("Step 1 · variant B") and items[1][1].startswith("Step 3 · variant A")
    assert items[2][1].startswith("bob@client.example")
    assert "Sounds good, can we talk Thursday?" in browser.find_element(By.ID, "thread-items").text
    assert browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="category"]').text == "Interested"
    assert browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="layer"]').text == "Rules"
    assert browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="confidence"]').text == "92 %"
    assert "stopped the sequence" in browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="actions"]').text

    # The out-of-office shows its return date; the bounce its details.
    open_reply(browser, world.carol.pk, "Automatic reply: Quick question, Carol")
    assert browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="return_date"]').text == "2027-01-12"
    open_reply(browser, world.bounce.pk, "Undelivered Mail Returned to Sender")
    assert "5.1.1" in browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="bounce"]').text

    # Relabel the message nobody was sure about: kept as alice's correction, and its chip moves.
    open_reply(browser, world.lost.pk, "Hello?")
    Select(browser.find_element(By.ID, "relabel-category")).select_by_value("question")
    click(browser, browser.find_element(By.ID, "relabel-submit"))
    wait_until(browser, lambda d: "relabelled by alice" in d.find_element(
        By.CSS_SELECTOR, '#thread [data-bind="corrected"]').text, "the correction to show")
    assert browser.find_element(By.CSS_SELECTOR, '#thread [data-bind="category"]').text == "Question"
    wait_until(browser, lambda d: chip_count(d, "question") == 1 and chip_count(d, "needs_review") == 0,
               "the chips to follow the relabel")
    stored = InboundMessage.objects.get(pk=world.lost.pk)
    assert (stored.category, stored.corrected_category, stored.corrected_by) == ("needs_review", "question", user)

    # Answer Bob from the page: sent once (a double click), threaded, through the inbox that received his reply.
    open_reply(browser, world.bob.pk, "Re: Quick question, Bob")
    browser.find_element(By.ID, "reply-body").send_keys("Thursday 10:00 works. Talk then!")
    send = browser.find_element(By.ID, "reply-submit")
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", send)
    browser.execute_script("arguments[0].click(); arguments[0].click();", send)
    wait_until(browser, lambda d: "Sent to bob@client.example" in d.find_element(By.ID, "reply-result").text,
               "the reply to be sent")
    wait_until(browser, lambda d: len(thread(d)) == 4 and thread(d)[3][1].startswith("Reply by alice"),
               "the sent reply at the end of the thread")
    assert "Thursday 10:00 works. Talk then!" in browser.find_elements(By.CSS_SELECTOR, "#thread-items .thread-item")[3].text
    assert browser.find_element(By.ID, "reply-body").get_attribute("value") == ""

    [mail] = world.smtp.messages
    assert mail.rcpt_tos == ["bob@client.example"] and mail.mail_from == world.first.address
    assert mail.message["In-Reply-To"] == world.bob.message_id
    assert mail.message["References"].split()[-1] == world.bob.message_id
    assert mail.message["Subject"] == "Re: Quick question, Bob"
    assert SentReply.objects.get(inbound=world.bob).sent_by == user

    screenshot_dir = os.environ.get("REX_SCREENSHOT_DIR")
    if screenshot_dir:
        Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 1100)
        browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
        browser.save_screenshot(str(Path(screenshot_dir) / "inbox-page.png"))

    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
