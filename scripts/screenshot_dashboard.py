"""Capture docs/img/dashboard.png (and docs/img/mission-timeline.png) from a running REX.

    REX_DEMO_PASSWORD=demo .venv/bin/python manage.py rex up --port 8765 --concurrency 4 &
    .venv/bin/python scripts/screenshot_dashboard.py --url http://127.0.0.1:8765 --password demo

Logs in as the demo user through the login form, submits a few canaries through the dashboard form (one that
fails twice before succeeding, a slow one, one that is cancelled) and captures the page mid-flight, so the
picture shows missions in several states. Uses Debian's chromium and chromedriver, like the browser test.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(__file__).resolve().parent.parent
WIDTH, HEIGHT = 1280, 800


def chromium(profile: str) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--hide-scrollbars", f"--user-data-dir={profile}"):
        options.add_argument(argument)
    driver = webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                           {"width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False})
    return driver


def submit(driver: webdriver.Chrome, params: str, priority: str = "normal") -> str:
    """Submit through the page's form; returns the new mission's id."""
    driver.find_element(By.CSS_SELECTOR, f"label[for=cmd-priority-{priority}]").click()
    box = driver.find_element(By.ID, "cmd-params")
    box.clear()
    box.send_keys(params)
    previous = driver.find_element(By.ID, "command-result").get_attribute("data-mission-id")
    driver.find_element(By.ID, "submit-button").click()
    return WebDriverWait(driver, 10).until(
        lambda d: (d.find_element(By.ID, "command-result").get_attribute("data-mission-id") or previous) != previous
        and d.find_element(By.ID, "command-result").get_attribute("data-mission-id"))


def row_status(driver: webdriver.Chrome, mission_id: str) -> str:
    return driver.find_element(By.CSS_SELECTOR, f"tr[data-mission-id='{mission_id}']").get_attribute("data-status")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8000")
    parser.add_argument("--username", default="admin")
    parser.add_argument("--password", required=True)
    parser.add_argument("--out-dir", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    args.out_dir.mkdir(parents=True, exist_ok=True)
    run = time.strftime("%H%M%S")  # a fresh tag per run, so the same params make new missions

    with tempfile.TemporaryDirectory(prefix="rex-shot-") as profile:
        driver = chromium(profile)
        try:
            driver.get(args.url + "/")
            driver.find_element(By.NAME, "username").send_keys(args.username)
            driver.find_element(By.NAME, "password").send_keys(args.password)
            driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
            WebDriverWait(driver, 15).until(lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on")

            doomed = submit(driver, f'{{"sleep_ms": 30000, "tag": "cancel-me-{run}"}}', "low")
            submit(driver, f'{{"sleep_ms": 12000, "tag": "slow-{run}"}}', "normal")
            # Cancel the long one from its panel, then close the panel again.
            driver.find_element(By.CSS_SELECTOR, f"tr[data-mission-id='{doomed}']").click()
            WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "detail-cancel").is_displayed())
            driver.find_element(By.ID, "detail-cancel").click()
            WebDriverWait(driver, 10).until(lambda d: row_status(d, doomed) == "cancelled")
            driver.find_element(By.ID, "detail-close").click()

            flaky = submit(driver, f'{{"fail_times": 2, "tag": "{run}"}}', "high")
            WebDriverWait(driver, 15).until(lambda d: row_status(d, flaky) == "retrying")
            driver.find_element(By.ID, "cmd-params").clear()
            driver.find_element(By.ID, "cmd-params").send_keys('{"fail_times": 2}')
            driver.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
            time.sleep(0.9)  # let the row highlight fade
            driver.save_screenshot(str(args.out_dir / "dashboard.png"))

            WebDriverWait(driver, 30).until(lambda d: row_status(d, flaky) == "succeeded")
            driver.find_element(By.CSS_SELECTOR, f"tr[data-mission-id='{flaky}']").click()
            WebDriverWait(driver, 10).until(
                lambda d: len(d.find_elements(By.CSS_SELECTOR, "#timeline li")) >= 7)
            time.sleep(0.5)
            driver.save_screenshot(str(args.out_dir / "mission-timeline.png"))
        finally:
            driver.quit()
    print(f"wrote {args.out_dir / 'dashboard.png'} and {args.out_dir / 'mission-timeline.png'}")


if __name__ == "__main__":
    main()
