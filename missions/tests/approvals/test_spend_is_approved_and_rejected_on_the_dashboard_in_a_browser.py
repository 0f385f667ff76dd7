"""In a real browser: missions whose spend awaits approval show their quote on the dashboard with Approve and
Reject. Approve queues the mission (its row changes live, nothing bought yet, no worker running); Reject needs a
reason and cancels the mission with it; an approval made elsewhere (the API) hides the buttons of the panel that
is open, live, without a reload.

Reuses the dashboard browser test's Chromium fixture (through this folder's conftest) and waits (a missing
browser is a failure, never a skip).
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from billing.models import Purchase
from conftest import api_token_for
from missions.models import Mission, MissionStatus
from missions.services import submit_mission
from missions.tests.dashboard_and_admin.test_dashboard_updates_live_in_a_browser import (
    PASSWORD,
    row_status,
    wait_until,
)
from missions.tests.e2e_helpers import http_json

pytestmark = pytest.mark.e2e

QUOTE = "2 domains + 6 inboxes, $57.00/month; no monthly budget set"


def order(organization, user, n: int) -> str:
    return str(submit_mission(organization, mission_type="provision_domains", params={"count": 2, "client": "acme"},
                              idempotency_key=f"browser-order-{n}", requested_by=user).mission.pk)


def open_panel(browser, mission_id: str) -> None:
    if browser.find_element(By.ID, "detail").is_displayed():  # the open panel covers the table's right side
        browser.find_element(By.ID, "detail-close").click()
        wait_until(browser, lambda d: not d.find_element(By.ID, "detail").is_displayed(), "the panel to close")
    browser.find_element(By.CSS_SELECTOR, f"#missions tbody tr[data-mission-id='{mission_id}']").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "detail").is_displayed()
               and d.find_element(By.CSS_SELECTOR, "#detail [data-bind=short-id]").text == mission_id[:8],
               f"the panel of {mission_id}")


def test_spend_is_approved_and_rejected_from_the_dashboard_live(asgi_server, organization, user, browser):
    approve_me, reject_me, approved_elsewhere = (order(organization, user, n) for n in range(3))

    browser.get(f"{asgi_server}/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the dashboard socket to connect")
    browser.execute_script("window.__marker = 42;")
    row = browser.find_element(By.CSS_SELECTOR, f"#missions tbody tr[data-mission-id='{approve_me}']")
    assert row_status(browser, approve_me) == "awaiting_approval"
    assert row.find_element(By.CSS_SELECTOR, ".latest").text == f"awaiting approval: {QUOTE}"
    assert browser.find_element(By.CSS_SELECTOR, "[data-count=awaiting_approval]").text == "3"

    # Approve: the quote is on the panel; the mission is queued (no worker here, so nothing is bought yet).
    open_panel(browser, approve_me)
    assert browser.find_element(By.CSS_SELECTOR, "#detail-approval .approval-quote").text == QUOTE
    assert browser.find_element(By.ID, "detail-cancel").is_displayed() is False
    browser.find_element(By.ID, "detail-approve").click()
    wait_until(browser, lambda d: row_status(d, approve_me) == "queued", "the approved row to show queued")
    wait_until(browser, lambda d: not d.find_element(By.ID, "detail-approval").is_displayed(),
               "the approval buttons to go")
    assert Mission.objects.get(pk=approve_me).status == MissionStatus.QUEUED
    assert Purchase.objects.count() == 0

    # Reject: a reason is required, then the mission is cancelled with it.
    open_panel(browser, reject_me)
    browser.find_element(By.ID, "detail-reject").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "detail-action-result").text
               == "Say why the spend is rejected.", "the missing reason to be pointed out")
    assert Mission.objects.get(pk=reject_me).status == MissionStatus.AWAITING_APPROVAL
    browser.find_element(By.ID, "detail-reject-reason").send_keys("globex is not our client")
    browser.find_element(By.ID, "detail-reject").click()
    wait_until(browser, lambda d: row_status(d, reject_me) == "cancelled", "the rejected row to show cancelled")
    wait_until(browser, lambda d: "rejected by alice: globex is not our client" in d.find_element(By.ID, "timeline").text,
               "the rejection on the timeline")
    assert Mission.objects.get(pk=reject_me).error["message"] == "rejected: globex is not our client"

    # Approved by someone else, through the API: the open panel and the row follow live.
    open_panel(browser, approved_elsewhere)
    assert browser.find_element(By.ID, "detail-approval").is_displayed()
    status, _ = http_json("POST", f"{asgi_server}/api/missions/{approved_elsewhere}/approve/",
                          token=api_token_for(user))
    assert status == 200
    wait_until(browser, lambda d: row_status(d, approved_elsewhere) == "queued", "the row approved elsewhere")
    wait_until(browser, lambda d: not d.find_element(By.ID, "detail-approval").is_displayed(),
               "the open panel to drop its approval buttons")
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
    assert Purchase.objects.count() == 0
