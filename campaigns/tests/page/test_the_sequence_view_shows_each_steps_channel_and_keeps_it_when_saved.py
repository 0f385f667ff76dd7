"""In a real browser, the Campaigns page's sequence view says which channel each message step goes out on (an
email or an SMS badge; a text has no subject and does not count as an email of the thread), adds an SMS step with
its own button, and saving the sequence keeps every step's channel (a text never turns back into an email)."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from campaigns.models import Campaign, SequenceStep
from campaigns.tests.conftest import build_sequence
from campaigns.tests.page.test_campaigns_page_builds_a_sequence_previews_it_imports_a_list_and_starts_the_campaign import (
    browser,  # noqa: F401 - the headless chromium fixture
    click,
    field,
    log_in,
    text_of,
    type_into,
    wait_until,
)

pytestmark = pytest.mark.e2e
STEPS = [("email", [("A", "Hello {{first_name|there}}", "Hi {{first_name|there}}, a short note.")]),
         ("wait", 1),
         ("email", [("A", "", "Hi {{first_name|there}}, a text from Jane.")])]


def badge(driver, index: int) -> str:
    return text_of(driver, f'#steps li[data-index="{index}"] [data-role="channel-badge"]').lower()


def shown(driver, index: int, role: str) -> bool:
    """Whether the step's element is displayed, read in one go (the editor redraws its steps on every change)."""
    return driver.execute_script(
        "const n = document.querySelector(`#steps li[data-index='${arguments[0]}'] [data-role='${arguments[1]}']`);"
        "return !!n && n.offsetParent !== null;", index, role)


def title(driver, index: int) -> str:
    return text_of(driver, f'#steps li[data-index="{index}"] .step-title')


def test_the_sequence_view_shows_each_steps_channel_and_keeps_it_when_saved(asgi_server, user, organization,
                                                                            browser):  # noqa: F811
    sequence = build_sequence(organization, name="Mixed touches", steps=STEPS)
    SequenceStep.objects.filter(sequence=sequence, position=2).update(channel="sms")
    Campaign.objects.create(organization=organization, name="Texts too", sequence=sequence)

    log_in(browser, asgi_server, user)  # the only campaign is shown at once
    wait_until(browser, lambda d: text_of(d, "#campaign-name") == "Texts too" and badge(d, 2) == "sms",
               "the campaign's sequence with the SMS badge on step 3")
    assert (badge(browser, 0), title(browser, 0)) == ("email", "Step 1 · First email")
    assert title(browser, 2) == "Step 3 · Text"
    assert "step-sms" in browser.find_element(By.CSS_SELECTOR, '#steps li[data-index="2"]').get_attribute("class")
    assert shown(browser, 2, "sms-hint") and not shown(browser, 0, "sms-hint")
    assert not shown(browser, 2, "subject-field") and not shown(browser, 2, "thread-hint")
    assert Select(field(browser, "steps.2.channel")).first_selected_option.get_attribute("value") == "sms"

    # A new SMS step from its own button; the first step switched to SMS and back shows its channel each time.
    click(browser, browser.find_element(By.ID, "add-sms-step"))
    wait_until(browser, lambda d: badge(d, 3) == "sms", "the new SMS step")
    type_into(field(browser, "steps.3.variants.0.body"), "Hi {{first_name|there}}, last text from Jane.")
    Select(field(browser, "steps.0.channel")).select_by_value("sms")
    wait_until(browser, lambda d: badge(d, 0) == "sms", "step 1 shown as a text")
    assert title(browser, 0) == "Step 1 · Text"
    Select(field(browser, "steps.0.channel")).select_by_value("email")
    wait_until(browser, lambda d: title(d, 0) == "Step 1 · First email", "step 1 an email again")

    click(browser, browser.find_element(By.ID, "sequence-save"))
    wait_until(browser, lambda d: "Saved" in text_of(d, "#sequence-result"), "the sequence to be saved")
    saved = [(s.kind, s.channel) for s in Campaign.objects.get(slug="texts-too").sequence.ordered_steps()]
    assert saved == [("email", "email"), ("wait", "email"), ("email", "sms"), ("email", "sms")]
