"""In a real browser: a question typed in the dashboard's command box is answered in place with a number or a
table (never raw JSON); a refusal's "did you mean" button fixes the name; the next action clears the previous
error; a link to a mission that is not there says "No such mission"; and a long mission type never hides the
mission's id."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from missions.models import Mission
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from replies.tests.answers.outreach import identities, send

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def ask(browser, text: str) -> None:
    box = browser.find_element(By.ID, "nl-command")
    box.clear()
    box.send_keys(text, Keys.ENTER)


def answer_of(browser, kind: str):
    return wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#nl-result .answer[data-kind='{kind}']"),
                      f"a {kind} answer")[0]


def test_questions_are_answered_in_place(asgi_server, user, organization, browser):
    acme, globex, campaign = identities(organization)
    send(acme, 3, at=timezone.now() - timedelta(minutes=5), campaign=campaign)
    send(globex, 2, at=timezone.now() - timedelta(minutes=5))
    long_type = Mission.objects.create(organization=organization, type="provision_domains",
                                       idempotency_key="long-type-name", params={"count": 5, "client": "acme"})

    browser_test.log_in(browser, asgi_server, user.username)

    # The id of a mission with a long type is shown whole, inside its cell.
    cell = browser.find_element(By.CSS_SELECTOR, f"tr[data-mission-id='{long_type.id}'] .mission-cell")
    shown_id = cell.find_element(By.CSS_SELECTOR, ".mission-id")
    assert shown_id.text == str(long_type.id)[:8]
    assert browser.execute_script(
        "const [c, i] = arguments; return i.getBoundingClientRect().right <= c.getBoundingClientRect().right"
        " && i.scrollWidth <= i.clientWidth;", cell, shown_id)

    # A number.
    ask(browser, "how many emails did we send today")
    number = answer_of(browser, "number")
    assert number.find_element(By.CSS_SELECTOR, ".answer-title").text == "Emails sent today"
    assert number.find_element(By.CSS_SELECTOR, ".answer-value").text == "5 emails"
    assert "{" not in browser.find_element(By.ID, "nl-result").text

    # A table.
    ask(browser, "how many emails did we send today per domain")
    table = answer_of(browser, "table")
    assert [th.text for th in table.find_elements(By.CSS_SELECTOR, "thead th")] == ["DOMAIN", "SENT"]
    assert [[td.text for td in tr.find_elements(By.TAG_NAME, "td")]
            for tr in table.find_elements(By.CSS_SELECTOR, "tbody tr")] == [
        ["acme-mail.example", "3"], ["globex-mail.example", "2"]]

    # A misspelt name: refused with a button that puts the fixed command in the box; the answer above is gone.
    ask(browser, "show bounce rate for acmee")
    error = wait_until(browser, lambda d: d.find_element(By.ID, "nl-error").is_displayed()
                       and d.find_element(By.ID, "nl-error"), "the refusal")
    assert "did you mean 'show bounce rate for client acme'?" in error.text
    assert browser.find_elements(By.CSS_SELECTOR, "#nl-result .answer") == []
    error.find_element(By.CSS_SELECTOR, "button").click()
    browser.find_element(By.ID, "nl-command").send_keys(Keys.ENTER)
    rate = answer_of(browser, "number")
    assert rate.find_element(By.CSS_SELECTOR, ".answer-title").text == "Bounce rate · last 30 days · client acme"
    assert rate.find_element(By.CSS_SELECTOR, ".answer-detail").text == "0 of 3 sent"
    assert not browser.find_element(By.ID, "nl-error").is_displayed()

    # An error of the structured form is cleared by the next command, whichever box it comes from.
    params = browser.find_element(By.ID, "cmd-params")
    params.clear()
    params.send_keys('{"fail_times": 99}')
    browser.find_element(By.ID, "submit-button").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "error-params").is_displayed(), "the params error")
    ask(browser, "capacity left today")
    answer_of(browser, "number")
    assert not browser.find_element(By.ID, "error-params").is_displayed()

    # A link to no mission says so.
    browser.get(f"{asgi_server}/#mission-not-a-mission")
    notice = wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#alerts .alert-missing"),
                        "the no-such-mission notice")[0]
    assert notice.text.startswith("No such mission")
    assert browser.find_element(By.ID, "detail").get_attribute("hidden") is not None
    browser.get(f"{asgi_server}/#mission-00000000-0000-4000-8000-000000000000")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#alerts .alert-missing"),
               "the no-such-mission notice for an unknown id")
