"""In real headless Chromium, under the server's Content-Security-Policy: the Analytics page draws its three charts
(Chart.js from static/, canvases with pixels on them), the headline figures and the tables from the rollup, reports
no CSP violation, and when the next rollup finds more sends it redraws the figures without reloading.

Set REX_SCREENSHOT_DIR to also save the page as ``analytics-page.png`` there.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from selenium.webdriver.common.by import By

from analytics.rollup import rollup_day
from analytics.tests.factories import bounce, build_world, reply, send
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until

# Whether a canvas has any pixel that is not fully transparent: Chart.js drew on it.
CANVAS_DRAWN = """
const canvas = document.getElementById(arguments[0]);
if (!canvas || !canvas.width || !canvas.height) return false;
const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
for (let i = 3; i < pixels.length; i += 4) if (pixels[i] !== 0) return true;
return false;
"""


def csp_violations(driver) -> list[str]:
    return [entry["message"] for entry in driver.get_log("browser") if "Content Security Policy" in entry["message"]]


def total(driver, key: str) -> str:
    return driver.execute_script("return document.querySelector(`[data-total='${arguments[0]}']`).textContent", key)


def table(driver, table_id: str) -> list[list[str]]:
    """The table's cells, read in one script: the page redraws its rows whenever fresh figures arrive."""
    return driver.execute_script(
        "return Array.from(document.querySelectorAll(`#${arguments[0]} tbody tr`))"
        ".map((tr) => Array.from(tr.cells).map((td) => td.textContent));", table_id)


def test_charts_are_drawn_under_the_csp_and_figures_follow_the_rollup(asgi_server, user, organization, browser):
    today = timezone.now().date()
    world = build_world(organization)
    messages = send(world, 40, day=today - timedelta(days=1), variant="A")
    send(world, 20, day=today, variant="B", inbox=1)
    for message in messages[:2]:
        bounce(message, "hard", day=today - timedelta(days=1))
    for message in messages[2:7]:
        reply(message, "interested", day=today - timedelta(days=1))
    for day in (today - timedelta(days=1), today):
        rollup_day(organization.pk, day)

    browser.get(f"{asgi_server}/analytics/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(browser_test.PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "chart-series"), "the Analytics page after logging in")
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the page's socket to connect")
    browser.execute_script("window.__marker = 42;")

    for chart in ("chart-series", "chart-funnel", "chart-domains"):
        wait_until(browser, lambda d, c=chart: d.execute_script(CANVAS_DRAWN, c), f"{chart} to be drawn")
    assert (total(browser, "sent"), total(browser, "delivered"), total(browser, "replies")) == ("60", "58", "5")
    assert total(browser, "positive_reply_rate") == "8.6 %"  # 5 of 58 delivered
    assert "open" not in browser.find_element(By.ID, "totals").text.lower()
    assert [row[:4] for row in table(browser, "by-step")] == [["spring", "1", "A", "40"], ["spring", "1", "B", "20"]]
    assert [row[0] for row in table(browser, "by-domain")] == ["spring-one.example", "spring-two.example"]
    assert browser.find_element(By.ID, "export-csv").get_attribute("href").startswith(
        f"{asgi_server}/analytics/export.csv?start=")

    screenshot_dir = os.environ.get("REX_SCREENSHOT_DIR")
    if screenshot_dir:
        Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 1400)
        browser.save_screenshot(str(Path(screenshot_dir) / "analytics-page.png"))
        browser.set_window_size(1280, 900)

    # More sends today; the next rollup run tells the page, which fetches the figures again.
    send(world, 15, day=today, variant="B", inbox=1)
    rollup_day(organization.pk, today)
    wait_until(browser, lambda d: total(d, "sent") == "75", "the sent total to follow the rollup")
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
    assert csp_violations(browser) == []
