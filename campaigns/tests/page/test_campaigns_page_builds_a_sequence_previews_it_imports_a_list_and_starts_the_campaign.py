"""In a real browser, the way a sales team works on the Campaigns page: log in, create a campaign, import a list
from a CSV file (a file with a bad row is refused with its per-row report and nothing imported; the corrected file
reports what it created), build a three-step sequence (a first email with variants A and B, a wait of two business
days, a follow-up), see a template with an unknown variable refused with the error next to its field, see the
preview render a real contact of the list (first name, spintax, the unsubscribe footer), then start the campaign
(status and enrolled count change), pause it and resume it. Every step goes through the page's controls and the
JSON API behind them; the database is checked at the end.

Set REX_SCREENSHOT_DIR to also save the page as ``campaigns-page.png`` there (docs/img/campaigns-page.png is one).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.common.by import By
from selenium.webdriver.remote.webelement import WebElement
from selenium.webdriver.support.ui import Select

from campaigns.models import Campaign, Contact, ContactList, Enrollment, SequenceStep
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from tenants.models import Organization

pytestmark = pytest.mark.e2e

browser = browser_test.browser  # the same headless chromium fixture
wait_until = browser_test.wait_until

BAD_CSV = "email,first_name,company\nada@lovelace.example,Ada,Analytical\nnot-an-email,Bob,Builders\n"
GOOD_CSV = ("email,first_name,company,Industry\nada@lovelace.example,Ada,Analytical,engines\n"
            "grace@hopper.example,Grace,Navy,compilers\nalan@turing.example,Alan,Bletchley,\n")


def log_in(driver: webdriver.Chrome, base_url: str, user) -> None:
    """Through the real login form, which sends the user back to the Campaigns page."""
    driver.get(f"{base_url}/campaigns/")
    wait_until(driver, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    driver.find_element(By.NAME, "username").send_keys(user.username)
    driver.find_element(By.NAME, "password").send_keys(browser_test.PASSWORD)
    click(driver, driver.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]"))
    wait_until(driver, lambda d: d.find_elements(By.ID, "campaign-list"), "the Campaigns page after logging in")


def click(driver: webdriver.Chrome, element: WebElement) -> None:
    """As a person does: scrolled to the middle of the window first, clear of the sticky top bar."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", element)
    element.click()


def type_into(field: WebElement, text: str) -> None:
    field.clear()
    field.send_keys(text)


def text_of(driver: webdriver.Chrome, css: str) -> str:
    found = driver.find_elements(By.CSS_SELECTOR, css)
    return found[0].text if found else ""


def field(driver: webdriver.Chrome, path: str) -> WebElement:
    return driver.find_element(By.CSS_SELECTOR, f'#steps [data-path="{path}"]')


def error_next_to(driver: webdriver.Chrome, path: str) -> str:
    return text_of(driver, f'#steps [data-error-for="{path}"]')


def import_file(driver: webdriver.Chrome, tmp_path: Path, name: str, content: str, list_name: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    type_into(driver.find_element(By.ID, "import-list"), list_name)
    driver.find_element(By.ID, "import-file").send_keys(str(path))
    click(driver, driver.find_element(By.ID, "import-submit"))


def status(driver: webdriver.Chrome) -> str:
    return text_of(driver, "#campaign-status")


def figure(driver: webdriver.Chrome, name: str) -> str:
    return text_of(driver, f'#figures [data-figure="{name}"]')


def test_a_sales_team_builds_previews_imports_and_runs_a_campaign(asgi_server, user, organization, browser, tmp_path):
    other = Organization.objects.create(name="Globex", slug="globex")
    Campaign.objects.create(organization=other, name="Globex secret plan")

    log_in(browser, asgi_server, user)
    assert "Globex" not in browser.page_source
    assert browser.find_element(By.CSS_SELECTOR, '.topnav a[aria-current="page"]').text == "Campaigns"

    # --- create a campaign ---------------------------------------------------------------------------------
    type_into(browser.find_element(By.ID, "new-campaign-name"), "Spring launch")
    type_into(browser.find_element(By.ID, "new-campaign-from"), "Alice Martin")
    click(browser, browser.find_element(By.CSS_SELECTOR, "#new-campaign button[type=submit]"))
    wait_until(browser, lambda d: text_of(d, "#campaign-name") == "Spring launch", "the new campaign to be shown")
    assert status(browser) == "Draft"
    assert browser.find_element(By.ID, "btn-start").is_displayed()
    assert not browser.find_element(By.ID, "btn-pause").is_displayed()
    assert text_of(browser, '.campaign-item[data-slug="spring-launch"]').startswith("Spring launch")

    # --- import a list: a bad row refuses the whole file, with the row, the field and the reason ---------------
    import_file(browser, tmp_path, "bad.csv", BAD_CSV, "Spring leads")
    wait_until(browser, lambda d: d.find_elements(By.CSS_SELECTOR, "#import-errors tbody tr"),
               "the import's per-row report")
    [row] = [[td.text for td in tr.find_elements(By.CSS_SELECTOR, "td")]
             for tr in browser.find_elements(By.CSS_SELECTOR, "#import-errors tbody tr")]
    assert row[:2] == ["3", "email"], row
    assert row[2], "a reason"
    assert "Nothing was imported" in text_of(browser, "#import-report")
    assert not Contact.objects.filter(organization=organization).exists()

    import_file(browser, tmp_path, "good.csv", GOOD_CSV, "Spring leads")
    wait_until(browser, lambda d: text_of(d, '#import-report [data-count="created"] dd') == "3",
               "the import report to count 3 contacts created")
    assert "Imported into" in text_of(browser, "#import-report")
    assert ContactList.objects.get(organization=organization).contacts.count() == 3

    # --- build the sequence: email (A and B), wait 2 business days, follow-up --------------------------------
    type_into(browser.find_element(By.ID, "sequence-name"), "Spring touches")
    type_into(field(browser, "steps.0.variants.0.subject"), "{Quick|Short} question, {{first_name|there}}")
    type_into(field(browser, "steps.0.variants.0.body"),
              "Hi {{frist_name}},\n\nHow do {{company}} folks handle {{industry|this}}?")
    click(browser, browser.find_element(By.CSS_SELECTOR, '#steps li[data-index="0"] [data-act="add-variant"]'))
    type_into(field(browser, "steps.0.variants.1.subject"), "Idea for {{company|your team}}")
    type_into(field(browser, "steps.0.variants.1.body"), "{Hello|Hey} {{first_name|there}}, one idea for you.")
    click(browser, browser.find_element(By.ID, "add-wait-step"))
    type_into(field(browser, "steps.1.wait_days"), "2")
    click(browser, browser.find_element(By.ID, "add-email-step"))
    assert not browser.find_element(By.CSS_SELECTOR, '#steps li[data-index="2"] [data-role="subject-field"]').is_displayed()
    type_into(field(browser, "steps.2.variants.0.body"), "Hi {{first_name|there}}, just bumping this up.")

    # An unknown variable is refused, the error next to the field it is in; nothing is saved.
    click(browser, browser.find_element(By.ID, "sequence-save"))
    wait_until(browser, lambda d: "frist_name" in error_next_to(d, "steps.0.variants.0.body"),
               "the unknown variable's error next to the body of step 1 variant A")
    assert field(browser, "steps.0.variants.0.body").get_attribute("aria-invalid") == "true"
    assert "did you mean first_name" in error_next_to(browser, "steps.0.variants.0.body")
    assert error_next_to(browser, "steps.0.variants.1.body") == ""
    assert not Campaign.objects.get(organization=organization).sequence_id

    type_into(field(browser, "steps.0.variants.0.body"),
              "Hi {{first_name|there}},\n\nHow do {{company}} folks handle {{industry|this}}?")
    click(browser, browser.find_element(By.ID, "sequence-save"))
    wait_until(browser, lambda d: "Saved" in text_of(d, "#sequence-result"), "the sequence to be saved")
    assert error_next_to(browser, "steps.0.variants.0.body") == ""
    campaign = Campaign.objects.get(organization=organization)
    assert campaign.sequence is not None and campaign.sequence.name == "Spring touches"
    steps = campaign.sequence.ordered_steps()
    assert [(s.kind, s.wait_days, sorted(v.label for v in s.variants.all())) for s in steps] == [
        (SequenceStep.Kind.EMAIL, 0, ["A", "B"]), (SequenceStep.Kind.WAIT, 2, []), (SequenceStep.Kind.EMAIL, 0, ["A"])]

    # --- the preview: a real contact of the list, its first name, its custom field, the unsubscribe footer ----
    Select(browser.find_element(By.ID, "preview-list")).select_by_value("spring-leads")
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#preview-contact option")) == 3,
               "the list's three contacts in the preview's picker")
    grace = Contact.objects.get(email="grace@hopper.example")
    Select(browser.find_element(By.ID, "preview-contact")).select_by_value(str(grace.pk))
    Select(browser.find_element(By.ID, "preview-step")).select_by_value("0")
    Select(browser.find_element(By.ID, "preview-variant")).select_by_value("A")
    wait_until(browser, lambda d: "Hi Grace," in text_of(d, "#preview-text"), "the preview for Grace")
    text = text_of(browser, "#preview-text")
    assert "How do Navy folks handle compilers?" in text
    assert "Unsubscribe:" in text
    assert text_of(browser, "#preview-subject") in ("Quick question, Grace", "Short question, Grace")
    assert "grace@hopper.example" in text_of(browser, "#preview-to")

    # The preview follows the editor: variant B and the follow-up, which replies in the first email's thread.
    Select(browser.find_element(By.ID, "preview-variant")).select_by_value("B")
    wait_until(browser, lambda d: text_of(d, "#preview-subject") == "Idea for Navy", "variant B's subject")
    Select(browser.find_element(By.ID, "preview-step")).select_by_value("2")
    wait_until(browser, lambda d: text_of(d, "#preview-subject").startswith("Re: "), "the follow-up's Re: subject")
    assert "Hi Grace, just bumping this up." in text_of(browser, "#preview-text")
    type_into(field(browser, "steps.2.variants.0.body"), "Hi {{first_name|there}}, any thoughts?")
    wait_until(browser, lambda d: "Hi Grace, any thoughts?" in text_of(d, "#preview-text"),
               "the preview to follow an unsaved edit")
    click(browser, browser.find_element(By.ID, "sequence-save"))
    wait_until(browser, lambda d: "Saved" in text_of(d, "#sequence-result"), "the edit to be saved")

    # --- the send window and pacing: a window that never opens is refused next to its field --------------------
    friday = browser.find_element(By.CSS_SELECTOR, '#send-days input[value="4"]')
    click(browser, friday)  # Monday to Thursday
    browser.execute_script("document.getElementById('settings-start').value = '18:00';"
                           "document.getElementById('settings-end').value = '08:00';")
    type_into(browser.find_element(By.ID, "settings-zone"), "Europe/Paris")
    type_into(browser.find_element(By.ID, "settings-max-gap"), "240")
    click(browser, browser.find_element(By.ID, "settings-save"))
    wait_until(browser, lambda d: "never opens" in text_of(d, '#settings-form [data-error-for="send_end"]'),
               "the window error next to its closing time")
    browser.execute_script("document.getElementById('settings-start').value = '08:30';"
                           "document.getElementById('settings-end').value = '16:00';")
    click(browser, browser.find_element(By.ID, "settings-save"))
    wait_until(browser, lambda d: text_of(d, "#settings-result") == "Saved.", "the settings to be saved")
    assert "mon-thu 08:30\u201316:00 Europe/Paris · gap 90\u2013240 s" in text_of(browser, "#campaign-summary")
    campaign.refresh_from_db()
    assert (campaign.send_days, campaign.timezone, campaign.max_gap_seconds) == ([0, 1, 2, 3], "Europe/Paris", 240)

    # --- start, pause, resume --------------------------------------------------------------------------------
    Select(browser.find_element(By.ID, "action-list")).select_by_value("spring-leads")
    click(browser, browser.find_element(By.ID, "btn-start"))
    wait_until(browser, lambda d: status(d) == "Active", "the campaign to be active")
    wait_until(browser, lambda d: figure(d, "enrolled") == "3", "three contacts enrolled")
    assert "3 enrolled" in text_of(browser, "#action-result")
    assert "Active" in text_of(browser, '.campaign-item[data-slug="spring-launch"]')
    assert Enrollment.objects.filter(campaign=campaign).count() == 3

    screenshot_dir = os.environ.get("REX_SCREENSHOT_DIR")
    if screenshot_dir:
        Path(screenshot_dir).mkdir(parents=True, exist_ok=True)
        browser.set_window_size(1280, 2200)  # the whole page in the picture
        browser.execute_script("document.activeElement.blur(); window.scrollTo(0, 0);")
        browser.save_screenshot(str(Path(screenshot_dir) / "campaigns-page.png"))
        browser.set_window_size(1280, 900)

    click(browser, browser.find_element(By.ID, "btn-pause"))
    wait_until(browser, lambda d: status(d) == "Paused", "the campaign to be paused")
    assert browser.find_element(By.ID, "btn-resume").is_displayed()
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.PAUSED
    click(browser, browser.find_element(By.ID, "btn-resume"))
    wait_until(browser, lambda d: status(d) == "Active", "the campaign to be active again")
    assert Campaign.objects.get(pk=campaign.pk).status == Campaign.Status.ACTIVE

    # A reload shows the same campaign, from the server's render.
    browser.refresh()
    wait_until(browser, lambda d: text_of(d, "#campaign-name") == "Spring launch" and figure(d, "enrolled") == "3",
               "the campaign after a reload")
    wait_until(browser, lambda d: len(d.find_elements(By.CSS_SELECTOR, "#steps > li")) == 3,
               "the saved sequence in the editor after a reload")
