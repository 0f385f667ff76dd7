"""In a real browser: the Domains page shows the organization's pools and domains with their states; when the
server assigns a ready domain to a campaign and a warming domain becomes ready, the rows' badges, the campaign
and the pool counts change without the page reloading; a row opens a side panel listing the domain's inboxes,
which follows the domain's moves too. A move committed after the server rendered the page but before its socket
listened is caught up as soon as the socket connects.

Set REX_SCREENSHOT_DIR to also save the page as ``domains-page.png`` there (docs/img/domains-page.png is one).
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from selenium import webdriver
from selenium.webdriver.common.by import By

from campaigns.assignment import assign_domains
from campaigns.models import Campaign
from domains.models import DnsCheck, Domain, DomainState
from domains.tests.assignment_helpers import pool, ready_domain
from inboxes.models import DomainDay, Inbox
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from tenants.models import Organization

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until

S = DomainState


def record_dns_check(domain: Domain, *, passed: bool, ago: timedelta) -> None:
    """A DNS check as ``domains.dns.check_domain`` stores it (the row's DNS cell and the panel read it)."""
    at = timezone.now() - ago
    results = {kind: {"ok": True, "records": [], "detail": ""} for kind in ("mx", "spf", "dkim", "dmarc")}
    if not passed:
        results["dkim"] = {"ok": False, "records": [], "detail": f"no TXT record at rex._domainkey.{domain.name}"}
    DnsCheck.objects.create(domain=domain, checked_at=at, passed=passed, results=results,
                            dmarc_policy="quarantine" if passed else "")
    Domain.objects.filter(pk=domain.pk).update(dns_ok=passed, dns_checked_at=at)


def seed_pools(organization: Organization) -> Campaign:
    """Two pools with domains in most states of their life, as the demo has them."""
    now = timezone.now()
    campaign = Campaign.objects.create(organization=organization, name="Spring launch", status=Campaign.Status.ACTIVE)
    acme = pool(organization, "Acme", quota=3)
    outreach = ready_domain(acme, "acme-outreach.example", inboxes=3, state=S.IN_USE, assigned_at=now)
    Domain.objects.filter(pk=outreach.pk).update(campaign=campaign)
    DomainDay.objects.create(domain=outreach, day=now.date(), sent=57)
    ready_domain(acme, "acme-team.example", inboxes=2)
    ready_domain(acme, "acme-growth.example", inboxes=3, state=S.WARMING, inbox_status=Inbox.Status.WARMING,
                 warmup_limit=30)
    ready_domain(acme, "acme-meet.example", inboxes=3, state=S.WARMING, inbox_status=Inbox.Status.WARMING,
                 warmup_limit=11)
    connect = Domain.objects.create(organization=organization, pool=acme, name="acme-connect.example",
                                    state=S.DNS_PENDING)
    record_dns_check(connect, passed=False, ago=timedelta(minutes=20))
    Domain.objects.create(organization=organization, pool=acme, name="acme-partners.example")
    eu = pool(organization, "Acme EU", quota=2)
    ready_domain(eu, "acme-reach.example", inboxes=2, state=S.RESTING, inbox_status=Inbox.Status.PAUSED)
    ready_domain(eu, "acme-blast.example", inboxes=1, state=S.BURNED, inbox_status=Inbox.Status.DISABLED)
    for domain in Domain.objects.filter(organization=organization, dns_ok=True):
        record_dns_check(domain, passed=True, ago=timedelta(hours=3 if domain.state == S.IN_USE else 26))
    return campaign


def log_in(driver: webdriver.Chrome, base_url: str, user) -> None:
    """Through the real login form, which sends the user back to the Domains page."""
    driver.get(f"{base_url}/domains/")
    wait_until(driver, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(browser_test.PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(driver, lambda d: d.find_elements(By.ID, "domains"), "the Domains page after logging in")


def badge(driver: webdriver.Chrome, name: str) -> str | None:
    return driver.execute_script(
        "const tr = document.querySelector(`#domains tbody tr[data-domain='${arguments[0]}']`);"
        "return tr ? tr.querySelector('[data-cell=state] .state').textContent : null;", name)


def row_cells(driver: webdriver.Chrome, name: str) -> dict[str, str]:
    row = driver.find_element(By.CSS_SELECTOR, f"#domains tbody tr[data-domain='{name}']")
    return {td.get_attribute("data-cell"): td.text for td in row.find_elements(By.CSS_SELECTOR, "td")}


def pool_counts(driver: webdriver.Chrome, slug: str) -> dict[str, int]:
    card = driver.find_element(By.CSS_SELECTOR, f".pool-card[data-pool='{slug}']")
    counts = {li.get_attribute("data-state-count"): int(li.find_element(By.CSS_SELECTOR, "[data-count]").text)
              for li in card.find_elements(By.CSS_SELECTOR, "[data-state-count]")}
    return {state: n for state, n in counts.items() if n}


def panel_inboxes(driver: webdriver.Chrome) -> list[list[str]]:
    return [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
            for tr in driver.find_elements(By.CSS_SELECTOR, "#domain-inboxes tbody tr")]


def test_domain_rows_and_pool_counts_follow_transitions_without_reload(asgi_server, user, organization, browser):
    campaign = seed_pools(organization)
    other = Organization.objects.create(name="Globex", slug="globex")
    ready_domain(pool(other, "Globex"), "globex-secret.example")

    log_in(browser, asgi_server, user)
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the dashboard socket to connect")
    browser.execute_script("window.__marker = 42;")

    # What the server rendered, as the user reads it.
    names = [tr.get_attribute("data-domain") for tr in browser.find_elements(By.CSS_SELECTOR, "#domains tbody tr")]
    assert names == ["acme-blast.example", "acme-connect.example", "acme-growth.example", "acme-meet.example",
                     "acme-outreach.example", "acme-partners.example", "acme-reach.example", "acme-team.example"]
    assert {name: badge(browser, name) for name in names} == {
        "acme-blast.example": "Burned", "acme-connect.example": "DNS pending", "acme-growth.example": "Warming",
        "acme-meet.example": "Warming", "acme-outreach.example": "In use", "acme-partners.example": "Pending",
        "acme-reach.example": "Resting", "acme-team.example": "Ready"}
    outreach = row_cells(browser, "acme-outreach.example")
    assert (outreach["campaign"], outreach["inboxes"], outreach["today"], outreach["warmup"]) == (
        "Spring launch", "3 / 3", "57 / 120", "100 %")
    assert row_cells(browser, "acme-growth.example")["warmup"] == "75 %"
    assert row_cells(browser, "acme-partners.example")["dns"] == "not checked"
    assert row_cells(browser, "acme-connect.example")["dns"].startswith("FAIL")
    assert row_cells(browser, "acme-blast.example")["warmup"] == "inboxes disabled"
    assert pool_counts(browser, "acme") == {"pending": 1, "dns_pending": 1, "warming": 2, "ready": 1, "in_use": 1}
    assert pool_counts(browser, "acme-eu") == {"resting": 1, "burned": 1}
    assert "1 of 3 in use" in browser.find_element(By.CSS_SELECTOR, ".pool-card[data-pool='acme'] .pool-quota").text
    assert browser.find_element(By.ID, "domains-shown").text == "8"

    screenshot_dir = os.environ.get("REX_SCREENSHOT_DIR")
    if screenshot_dir:
        Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 1100)  # every row in the picture
        browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
        browser.save_screenshot(str(Path(screenshot_dir) / "domains-page.png"))
        browser.set_window_size(1280, 900)

    # The ready domain's panel lists its inboxes.
    browser.find_element(By.CSS_SELECTOR, "#domains tbody tr[data-domain='acme-team.example']").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "domain-detail").is_displayed(), "the domain panel to open")
    wait_until(browser, lambda d: panel_inboxes(d) == [["rep0@acme-team.example", "active", "0 / 40", "40"],
                                                       ["rep1@acme-team.example", "active", "0 / 40", "40"]],
               "the panel to list the domain's two inboxes")
    panel = browser.find_element(By.ID, "domain-detail")
    assert panel.find_element(By.CSS_SELECTOR, "[data-bind=name]").text == "acme-team.example"
    assert panel.find_element(By.CSS_SELECTOR, "[data-bind=state]").text == "Ready"
    assert [li.text.split()[0] for li in browser.find_elements(By.CSS_SELECTOR, "#domain-dns li")] == [
        "PASS", "MX", "SPF", "DKIM", "DMARC"]

    # The server hands it to the campaign: the row, the pool card and the open panel follow.
    [assigned] = assign_domains(organization, campaign=campaign, count=1, actor="alice")
    assert assigned.name == "acme-team.example"
    wait_until(browser, lambda d: badge(d, "acme-team.example") == "In use", "the row's badge to read In use")
    assert row_cells(browser, "acme-team.example")["campaign"] == "Spring launch"
    wait_until(browser, lambda d: pool_counts(d, "acme").get("in_use") == 2, "the pool card to count 2 in use")
    assert "2 of 3 in use" in browser.find_element(By.CSS_SELECTOR, ".pool-card[data-pool='acme'] .pool-quota").text
    wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, "#domain-detail [data-bind=state]").text == "In use",
               "the panel's badge to read In use")
    wait_until(browser, lambda d: "assigned to campaign spring-launch — alice"
               in d.find_element(By.ID, "domain-transitions").text, "the panel's history to show the assignment")
    assert browser.find_element(By.CSS_SELECTOR, "#domain-detail [data-bind=campaign]").text == "Spring launch"

    # A warming domain finishes its warmup: its row moves while the panel stays on the other domain.
    Domain.objects.get(name="acme-growth.example").transition(S.READY, reason="warmup complete")
    wait_until(browser, lambda d: badge(d, "acme-growth.example") == "Ready", "the warmed row's badge to read Ready")
    wait_until(browser, lambda d: pool_counts(d, "acme") == {"pending": 1, "dns_pending": 1, "warming": 1, "ready": 1,
                                                            "in_use": 2}, "the pool card's counts to follow")
    assert browser.find_element(By.CSS_SELECTOR, "#domain-detail [data-bind=name]").text == "acme-team.example"

    # A pool born after the page loaded (a purchase for a new client) gets a card with its quota; a quota ops
    # changed shows with the next move of one of the pool's domains.
    apac = pool(organization, "Acme APAC", quota=4)
    Domain.objects.create(organization=organization, pool=apac, name="acme-apac.example").transition(
        S.DNS_PENDING, reason="records published")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, ".pool-card[data-pool='acme-apac']"),
               "a card for the new pool")
    assert "0 of 4 in use" in browser.find_element(
        By.CSS_SELECTOR, ".pool-card[data-pool='acme-apac'] .pool-quota").text
    type(apac).objects.filter(slug="acme").update(quota=5)
    Domain.objects.get(name="acme-meet.example").transition(S.READY, reason="warmup complete")
    wait_until(browser, lambda d: "2 of 5 in use" in d.find_element(
        By.CSS_SELECTOR, ".pool-card[data-pool='acme'] .pool-quota").text, "the raised quota to show")

    # Closing the panel hands focus back to its row.
    browser.find_element(By.ID, "domain-detail-close").click()
    wait_until(browser, lambda d: not d.find_element(By.ID, "domain-detail").is_displayed(), "the panel to close")
    assert browser.switch_to.active_element.get_attribute("data-domain") == "acme-team.example"
    assert browser.execute_script("return window.__marker") == 42, "the page reloaded"
    assert "globex-secret.example" not in browser.page_source


def test_move_committed_before_the_socket_listened_is_caught_up_on_connect(asgi_server, user, organization,
                                                                           browser):
    seed_pools(organization)
    log_in(browser, asgi_server, user)
    # Hold the page's script back, so the server-rendered page stands without a socket while the domain moves:
    # the window between rendering and subscribing, stretched until the move is surely inside it.
    browser.execute_cdp_cmd("Network.enable", {})
    browser.execute_cdp_cmd("Network.setCacheDisabled", {"cacheDisabled": True})
    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*/rex/domains.js"]})
    browser.get(f"{asgi_server}/domains/")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#domains tbody tr[data-domain]"), "the table")
    assert browser.find_element(By.ID, "live").get_attribute("data-state") == "connecting"

    Domain.objects.get(name="acme-growth.example").transition(S.READY, reason="warmup complete")

    browser.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    browser.execute_script("const script = document.createElement('script');"
                           "script.src = document.querySelector('script[src*=\"rex/domains.js\"]').src;"
                           "document.body.append(script);")
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the socket to connect")
    wait_until(browser, lambda d: badge(d, "acme-growth.example") == "Ready",
               "the row to catch up with the move it missed")
    wait_until(browser, lambda d: pool_counts(d, "acme").get("ready") == 2, "the pool card to count 2 ready")
