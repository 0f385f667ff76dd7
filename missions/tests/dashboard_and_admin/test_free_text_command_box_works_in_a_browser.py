"""In a real browser: the dashboard's free-text box shows "did you mean …?" with a button that takes the
suggestion, runs a clicked example command, shows the deciding layer and refreshes the share per layer."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from missions.models import Mission
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def test_free_text_box_suggests_runs_and_counts(asgi_server, user, browser):
    browser_test.log_in_to_dashboard(browser, asgi_server, user)
    share = browser.find_element(By.ID, "decision-share")
    assert "Decisions in the last 24 h: none yet" in share.text

    # A near miss: the error says what was probably meant, and one click puts it in the box.
    box = browser.find_element(By.ID, "nl-command")
    box.send_keys("wram up 5 domains for acme")
    browser.find_element(By.ID, "nl-submit").click()
    error = wait_until(browser, lambda d: d.find_element(By.ID, "nl-error").is_displayed()
                       and d.find_element(By.ID, "nl-error"), "the near-miss error")
    assert "did you mean 'warm up 5 new domains for acme'?" in error.text
    error.find_element(By.CSS_SELECTOR, "button").click()
    assert box.get_attribute("value") == "warm up 5 new domains for acme"
    assert not browser.find_element(By.ID, "nl-error").is_displayed()

    # An example command, clicked and sent: the rules decide it and the mission's row appears.
    browser.find_element(By.CSS_SELECTOR, "#nl-suggestions [data-command='run a canary']").click()
    assert box.get_attribute("value") == "run a canary"
    browser.find_element(By.ID, "nl-submit").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "nl-result").get_attribute("data-layer") == "rules",
               "the decision line")
    result = browser.find_element(By.ID, "nl-result").text
    assert "rules · run a canary → canary()" in result
    mission = Mission.objects.get()
    assert f"canary {str(mission.id)[:8]}" in result
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, f"#missions tr[data-mission-id='{mission.id}']"),
               "the new mission's row")
    wait_until(browser, lambda d: "structured 0 % · rules 100 % · LLM 0 % (1 decided, 1 refused)"
               in d.find_element(By.ID, "decision-share").text, "the refreshed share per layer")
