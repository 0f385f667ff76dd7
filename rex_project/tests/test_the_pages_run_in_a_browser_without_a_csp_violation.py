"""In real headless Chromium, under the Content-Security-Policy the server sends, the dashboard pages and the admin
(the API token form included) load and run their scripts with no violation reported: the browser, not a scan of the
HTML, is the judge of what the policy refuses."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from ops.seed import seed_demo

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until
PASSWORD = "correct horse battery"

# Each page, and an element its script puts there (so the script ran, not only the HTML arrived).
PAGES = [
    ("/", "#live[data-state]"),
    ("/domains/", "#domains"),
    ("/campaigns/", "body"),
    ("/inbox/", "body"),
    ("/agents/", "#agents-rows"),
    ("/incidents/", "#incidents"),
    ("/analytics/", "#live[data-state=on]"),
    ("/admin/", "#content"),
    ("/admin/tenants/apitoken/", "#changelist"),
    ("/admin/tenants/apitoken/add/", "#apitoken_form"),
]


def csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_the_dashboard_pages_and_the_admin_report_no_violation(asgi_server, browser):
    seed_demo(PASSWORD)
    browser.get(f"{asgi_server}/accounts/login/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys("admin")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "command-form"), "the dashboard after logging in")

    for path, selector in PAGES:
        browser.get(f"{asgi_server}{path}")
        wait_until(browser, lambda d, s=selector: d.find_elements(By.CSS_SELECTOR, s), f"{selector} on {path}")
        assert csp_violations(browser) == [], path
