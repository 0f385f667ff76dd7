"""In a real browser: a free-text command naming a list that does not exist is refused in words under the
command box — which name matched nothing and the whole command corrected — and one click puts the corrected
command in the box; no mission is created."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from campaigns.models import Campaign, ContactList
from missions.models import Mission
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def test_the_unknown_list_is_named_and_the_corrected_command_is_one_click_away(asgi_server, user, organization,
                                                                               browser):
    Campaign.objects.create(organization=organization, name="spring-launch")
    ContactList.objects.create(organization=organization, name="cfo-uk")
    browser_test.log_in_to_dashboard(browser, asgi_server, user)

    box = browser.find_element(By.ID, "nl-command")
    box.send_keys("send campaign spring-launch to list cfo-ku")
    browser.find_element(By.ID, "nl-submit").click()
    error = wait_until(browser, lambda d: d.find_element(By.ID, "nl-error").is_displayed()
                       and d.find_element(By.ID, "nl-error"), "the refusal under the command box")

    assert "there is no list named 'cfo-ku'" in error.text
    assert "did you mean 'send campaign spring-launch to list cfo-uk'?" in error.text
    assert "{" not in error.text  # words, not the JSON of the field errors
    error.find_element(By.CSS_SELECTOR, "button").click()
    assert box.get_attribute("value") == "send campaign spring-launch to list cfo-uk"
    assert not Mission.objects.exists()
