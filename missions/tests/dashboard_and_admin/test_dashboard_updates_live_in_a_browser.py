"""In a real browser: log in, submit a canary through the dashboard form, and watch its row go retrying and then
succeeded without the page reloading; clicking the row shows the mission's timeline.

Runs Debian's chromium through its chromedriver (``make test`` installs both via ``scripts/ensure_browser.sh``);
a missing browser is a failure, never a skip.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from missions.models import Mission, MissionStatus

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
PASSWORD = "correct horse battery"  # the `user` fixture's

# Records every status each row's pill has shown, so a state that lasts two seconds cannot slip between polls.
RECORD_ROW_STATUSES = """
window.__seen = {};
const tbody = document.querySelector("#missions tbody");
const record = () => {
  for (const tr of tbody.querySelectorAll("tr[data-mission-id]")) {
    const pill = tr.querySelector(".status");
    if (!pill) continue;
    const seen = window.__seen[tr.dataset.missionId] || (window.__seen[tr.dataset.missionId] = []);
    if (seen[seen.length - 1] !== pill.textContent) seen.push(pill.textContent);
  }
};
new MutationObserver(record).observe(tbody, {subtree: true, childList: true, characterData: true, attributes: true});
record();
"""


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        pytest.fail(
            f"{', '.join(missing)} not found: this test needs Debian's chromium and chromium-driver. "
            "Run `scripts/ensure_browser.sh` (`make test` does) or `apt-get install chromium chromium-driver`.",
            pytrace=False,
        )
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # An explicit driver path keeps Selenium Manager (which would try to download one) out of the picture.
    service = Service(executable_path=CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log"))
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as exc:
        log = tmp_path / "chromedriver.log"
        pytest.fail(f"chromium did not start: {exc.msg}\n{log.read_text()[-3000:] if log.exists() else ''}",
                    pytrace=False)
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def page_state(driver: webdriver.Chrome) -> str:
    """What the page looked like, for a failure message."""
    rows = [row.text.replace("\n", " | ") for row in driver.find_elements(By.CSS_SELECTOR, "#missions tbody tr")]
    try:
        console = [entry["message"] for entry in driver.get_log("browser")]
    except WebDriverException:
        console = []
    live = driver.execute_script("return document.getElementById('live')?.dataset.state")
    seen = driver.execute_script("return window.__seen")
    return (f"url={driver.current_url}\nlive={live}\nrows={json.dumps(rows, indent=1)}\nseen={seen}\n"
            f"console={json.dumps(console, indent=1)}")


def log_in(driver: webdriver.Chrome, base_url: str, username: str, password: str = PASSWORD, *,
           path: str = "/", ready: str = "command-form") -> None:
    """Log in through the real login form, then wait for the element with id ``ready`` of the page it leads to."""
    driver.get(f"{base_url}{path}")
    wait_until(driver, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    driver.find_element(By.NAME, "username").send_keys(username)
    driver.find_element(By.NAME, "password").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, ready), f"#{ready} after logging in")


def wait_until(driver: webdriver.Chrome, condition: Callable[[webdriver.Chrome], Any], what: str,
               timeout: float = 30) -> Any:
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except Exception as exc:
        raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}\n{page_state(driver)}") from exc


def log_in_to_dashboard(driver: webdriver.Chrome, base_url: str, user: Any) -> None:
    """Log ``user`` in through the page's own form and wait for the command box."""
    driver.get(f"{base_url}/")
    wait_until(driver, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "nl-form"), "the dashboard after logging in")


def row_status(driver: webdriver.Chrome, mission_id: str) -> str | None:
    return driver.execute_script(
        "const tr = document.querySelector(`#missions tbody tr[data-mission-id='${arguments[0]}']`);"
        "return tr ? tr.querySelector('.status').textContent : null;", mission_id)


def test_submitted_canary_goes_retrying_then_succeeded_without_reload(asgi_server, start_worker, user, browser):
    start_worker()

    # Log in through the real form; the dashboard is login-only.
    browser.get(f"{asgi_server}/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_elements(By.ID, "command-form"), "the dashboard after logging in")
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the dashboard socket to connect")

    browser.execute_script("window.__marker = 42;")
    browser.execute_script(RECORD_ROW_STATUSES)

    # Submit a canary that fails once (recoverable) and then succeeds, through the page's form.
    Select(browser.find_element(By.ID, "cmd-type")).select_by_value("canary")
    params = browser.find_element(By.ID, "cmd-params")
    params.clear()
    params.send_keys('{"fail_times": 1}')
    browser.find_element(By.ID, "submit-button").click()
    mission_id = wait_until(
        browser, lambda d: d.find_element(By.ID, "command-result").get_attribute("data-mission-id"),
        "the form to report the new mission")

    first_row = browser.find_element(By.CSS_SELECTOR, "#missions tbody tr:first-child")
    assert first_row.get_attribute("data-mission-id") == mission_id, "a new mission goes on top of the table"

    wait_until(browser, lambda d: row_status(d, mission_id) == "retrying"
               or "retrying" in (d.execute_script("return window.__seen")[mission_id] or []),
               "the row to show retrying")
    wait_until(browser, lambda d: row_status(d, mission_id) == "succeeded", "the row to show succeeded")

    seen = browser.execute_script("return window.__seen")[mission_id]
    assert seen.index("retrying") < seen.index("succeeded"), seen
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
    mission = Mission.objects.get(pk=mission_id)
    assert (mission.status, mission.attempts) == (MissionStatus.SUCCEEDED, 2)

    # The row opens the mission's panel with its whole timeline.
    browser.find_element(By.CSS_SELECTOR, f"#missions tbody tr[data-mission-id='{mission_id}']").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "detail").is_displayed(), "the mission panel to open")
    expected = ["queued", "running", "retrying", "running", "succeeded"]
    wait_until(browser, lambda d: [li.get_attribute("data-kind")
                                   for li in d.find_elements(By.CSS_SELECTOR, "#timeline li")] == expected,
               f"the timeline to read {expected}")
    timeline_text = browser.find_element(By.ID, "timeline").text
    assert "retry in 2 s" in timeline_text
    assert browser.find_element(By.CSS_SELECTOR, "#detail [data-bind=status]").text.lower() == "succeeded"
    assert browser.find_element(By.ID, "detail-retry").is_displayed() is False  # nothing to retry
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
