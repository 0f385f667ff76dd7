"""In a real browser: when the session ends while a live page is open, the next reconnection is refused with 4401,
and the page (dashboard, domains, inbox: every page on ``static/rex/live.js``) says "Your session has ended — log in
again" with a link to the login page, and stops reconnecting instead of retrying forever. No reload involved.
"""

from __future__ import annotations

import time

import pytest
from django.contrib.sessions.models import Session
from selenium.webdriver.common.by import By

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until

# Installed before any page script runs (so live.js builds its sockets through it): keeps every socket the page
# opens, to drop the live one from the test and to count reconnection attempts.
COUNT_SOCKETS = """
window.__sockets = [];
const NativeWebSocket = window.WebSocket;
window.WebSocket = class extends NativeWebSocket {
  constructor(...args) { super(...args); window.__sockets.push(this); }
};
"""


def live_state(driver) -> str:
    return driver.find_element(By.ID, "live").get_attribute("data-state")


@pytest.mark.parametrize("page", ["/", "/domains/", "/inbox/"])
def test_an_ended_session_shows_log_in_again_and_stops_reconnecting(asgi_server, user, browser, page):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": COUNT_SOCKETS})
    browser.get(f"{asgi_server}/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(browser_test.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "form.inline button"), "the page after logging in")
    browser.get(f"{asgi_server}{page}")
    wait_until(browser, lambda d: live_state(d) == "on", "the live socket to connect")
    browser.execute_script("window.__marker = 42;")

    # The session ends server-side (expired, or logged out elsewhere); then the connection drops and live.js
    # reconnects with a cookie that no longer names a session.
    Session.objects.all().delete()
    browser.execute_script("window.__sockets[window.__sockets.length - 1].close();")

    wait_until(browser, lambda d: live_state(d) == "logged-out", "the page to notice the session ended", timeout=15)
    pill = browser.find_element(By.ID, "live")
    assert "Your session has ended — log in again" in pill.text
    link = pill.find_element(By.LINK_TEXT, "log in again")
    assert link.is_displayed()
    assert link.get_attribute("href") == f"{asgi_server}/accounts/login/?next={page.replace('/', '%2F')}"

    # Refused is final: no further attempt, whatever the backoff would have been (first retry after 0.5 s).
    attempts = browser.execute_script("return window.__sockets.length")
    assert attempts == 2, f"expected the live socket and one refused reconnection, saw {attempts}"
    time.sleep(3)
    assert browser.execute_script("return window.__sockets.length") == attempts, "live.js kept reconnecting"
    assert live_state(browser) == "logged-out"
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
