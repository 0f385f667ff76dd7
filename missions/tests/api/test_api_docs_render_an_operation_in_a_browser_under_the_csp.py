"""In real headless Chromium, under the Content-Security-Policy the server sends (scripts only from our own
files), /api/docs/ starts Swagger UI, lists the operations and opens one, and the browser reports no violation:
drf-spectacular's inline start-up script is replaced by static/rex/api-docs.js."""

from __future__ import annotations

import urllib.request

import pytest
from selenium.webdriver.common.by import By

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_swagger_ui_opens_an_operation_with_no_csp_violation(asgi_server, user, browser):
    with urllib.request.urlopen(f"{asgi_server}/api/docs/", timeout=10) as answer:
        assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
        assert "unsafe-inline" not in answer.headers["Content-Security-Policy"]

    browser.get(f"{asgi_server}/api/docs/")
    summary = wait_until(
        browser, lambda d: next((op for op in d.find_elements(By.CSS_SELECTOR, ".opblock-summary")
                                 if "/api/rex/command" in op.text), None),
        "Swagger UI to render the /api/rex/command operation", timeout=20)
    summary.click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".opblock.is-open .opblock-body"),
               "the operation to open with its parameters and responses")

    assert csp_violations(browser) == []
