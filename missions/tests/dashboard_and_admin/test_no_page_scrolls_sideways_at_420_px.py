"""In real headless Chromium 420 px wide (a phone), no page of the product scrolls sideways: wide tables scroll
inside their own box, never the whole page."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from ops.seed import seed_demo

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until
PASSWORD = "correct horse battery"
WIDTH = 420

# Each page, and an element its script puts there (so the script ran and drew, not only the HTML arrived).
# The outermost elements that stick out on the right, to say in a failure what to fix.
STICKING_OUT = """
const out = [];
for (const node of document.body.querySelectorAll("*")) {
  if (node.getBoundingClientRect().right <= window.innerWidth + 0.5) continue;
  if (out.some((outer) => outer.contains(node))) continue;
  out.push(node);
}
return out.slice(0, 5).map((n) => n.tagName.toLowerCase() + (n.id ? "#" + n.id : "")
  + (n.className && typeof n.className === "string" ? "." + n.className.trim().split(/\\s+/).join(".") : "")
  + " " + Math.round(n.getBoundingClientRect().right));
"""
PAGES = [("/", "#live[data-state]"), ("/domains/", "#domains"), ("/campaigns/", "body"), ("/inbox/", "body"),
         ("/accounts/login/", "body")]


def test_every_page_fits_a_420_px_wide_screen(asgi_server, browser):
    seed_demo(PASSWORD)
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                            {"width": WIDTH, "height": 860, "deviceScaleFactor": 1, "mobile": False})
    browser_test.log_in(browser, asgi_server, "admin", PASSWORD, path="/accounts/login/")

    too_wide = {}
    for path, selector in PAGES:
        browser.get(f"{asgi_server}{path}")
        wait_until(browser, lambda d, s=selector: d.find_elements(By.CSS_SELECTOR, s), f"{selector} on {path}")
        inner, scroll = browser.execute_script(
            "return [window.innerWidth, document.scrollingElement.scrollWidth];")
        assert inner == WIDTH
        if scroll > inner:
            too_wide[path] = (scroll, browser.execute_script(STICKING_OUT))
    assert too_wide == {}, f"pages wider than {WIDTH} px (scrollWidth): {too_wide}"
