"""In a real browser: a page already open (the campaigns page, which draws nothing live itself, and the domains page,
whose own socket the banner shares) shows the incidents banner as soon as an incident opens, without a reload, and
hides it when the incident is acknowledged."""

from __future__ import annotations

import pytest

from domains.tests.api_and_page.test_domains_page_updates_live_in_a_browser import log_in
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from monitoring import services
from monitoring.models import Incident, Kind, Severity

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until

BANNER = "const b = document.getElementById('incident-banner'); return b.hidden ? null : b.textContent;"
# Counts the sockets the page opens (installed before any page script runs).
SOCKETS = ("window.__sockets = 0; const W = window.WebSocket;"
           "window.WebSocket = class extends W { constructor(...a) { super(...a); window.__sockets += 1; } };")


@pytest.mark.parametrize("page", ["/campaigns/", "/domains/"])
def test_an_incident_appears_live_on_the_banner_of_an_open_page(asgi_server, user, organization, browser, page):
    browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": SOCKETS})
    log_in(browser, asgi_server, user)
    browser.get(f"{asgi_server}{page}")
    wait_until(browser, lambda d: d.execute_script("return window.RexLive && window.RexLive.connected"), "the socket")
    assert browser.execute_script(BANNER) is None

    incident, _ = services.record_finding(services.Finding(
        organization_id=organization.pk, kind=Kind.QUEUE_AGE, severity=Severity.CRITICAL, subject_type="queue",
        subject_key="queue", subject="mission queue",
        reason="the oldest queued mission has waited 31 min 0 s for a worker"))

    text = wait_until(browser, lambda d: d.execute_script(BANNER), "the banner to show the incident", timeout=20)
    assert "1 open incident" in text and "Oldest queued mission on mission queue: the oldest queued mission" in text
    assert browser.execute_script("return window.__sockets") == 1  # the banner shares the page's socket

    services.acknowledge(Incident.objects.get(pk=incident.pk), by=user)
    wait_until(browser, lambda d: d.execute_script(BANNER) is None, "the banner to hide", timeout=20)
