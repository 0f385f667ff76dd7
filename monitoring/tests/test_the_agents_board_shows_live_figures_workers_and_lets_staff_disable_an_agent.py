"""In a real browser, as staff: /agents/ lists every agent with today's and this month's figures, the mission queues
and the Celery workers online with their concurrency; a canary run by a real worker shows up on the board without
a reload (the missions stream); Disable switches the agent off (the page says so) and the page breaks no CSP rule."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from agents import registry
from agents.models import Agent
from domains.tests.api_and_page.test_domains_page_updates_live_in_a_browser import log_in
from missions.models import Mission
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


# The board redraws its rows from each answer: read them in one script, never through elements kept across redraws.
READ = "const e = document.querySelector(arguments[0]); return e ? e.textContent : null;"


def figure(driver, agent: str, name: str) -> str | None:
    return driver.execute_script(READ, f'tr[data-agent="{agent}"] [data-figure="{name}"]')


def test_the_agents_board_shows_live_figures_workers_and_lets_staff_disable_an_agent(
        asgi_server, start_worker, user, api_client, browser):
    registry.sync_rows()
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    worker = start_worker(concurrency=2)
    node = worker.proc.args[worker.proc.args.index("-n") + 1]

    log_in(browser, asgi_server, user)
    browser.get(f"{asgi_server}/agents/")
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on", "the socket")

    assert figure(browser, "canary", "runs-today") == "0"
    assert browser.execute_script(
        "return Array.from(document.querySelectorAll('#queue-rows tr')).map((r) => r.dataset.queue)") == [
        "high", "normal", "low"]
    concurrency = f'#worker-rows tr[data-worker="{node}"] td:nth-child(2)'
    assert wait_until(browser, lambda d: d.execute_script(READ, concurrency), "the worker online") == "2"

    response = api_client.post("/api/rex/command", {"type": "canary", "params": {}}, format="json")
    assert response.status_code == 201
    wait_until(browser, lambda d: Mission.objects.get().status == "succeeded", "the canary to run", timeout=30)
    wait_until(browser, lambda d: figure(d, "canary", "runs-today") == "1", "the board to count the run live")
    assert figure(browser, "canary", "runs-month") == "1"

    browser.find_element(By.CSS_SELECTOR, 'button[data-toggle="canary"]').click()
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, 'tr[data-agent="canary"] [data-state="disabled"]'),
               "the agent shown disabled")
    assert not Agent.objects.get(name="canary").enabled
    refused = [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]
    assert refused == []
