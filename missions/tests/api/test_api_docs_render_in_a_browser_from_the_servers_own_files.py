"""In a real browser, /api/docs/ renders Swagger UI's operations using only files the server itself serves.

Swagger UI used to come from a CDN at ``@latest``: offline (or behind a proxy that blocks the CDN) the page stayed
blank. It now comes from drf-spectacular-sidecar through the static files (WhiteNoise under daphne). The test
machine has no internet, so a CDN would fail here; the resource check makes the test prove it even where it has.
"""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until


def test_api_docs_list_the_operations_with_no_file_from_elsewhere(asgi_server, user, browser):
    # The docs need no login (drf-spectacular's SERVE_PERMISSIONS default); logging in would not change the files.
    browser.get(f"{asgi_server}/api/docs/")
    wait_until(browser, lambda d: any("/api/rex/command" in op.text
                                      for op in d.find_elements(By.CSS_SELECTOR, ".opblock")),
               "Swagger UI to render the /api/rex/command operation", timeout=20)

    resources = browser.execute_script(
        "return performance.getEntriesByType('resource').map(entry => entry.name)")
    elsewhere = [url for url in resources if not url.startswith(f"{asgi_server}/")]
    assert not elsewhere, f"the docs page loaded files from elsewhere: {elsewhere}"
    assert any("/static/drf_spectacular_sidecar/swagger-ui-dist/" in url for url in resources), resources
