"""In a real browser: while the dashboard is open, an interested reply is acted on server-side; an alert appears on
top of the dashboard without a reload, naming who replied, and its link opens the inbox on that reply's thread."""

from __future__ import annotations

import pytest
from selenium.webdriver.common.by import By

from campaigns.models import Contact
from missions.tests.dashboard_and_admin import test_dashboard_updates_live_in_a_browser as browser_test
from replies.actions import act_on
from replies.matching import match_message
from replies.models import InboundMessage

pytestmark = pytest.mark.e2e

browser = browser_test.browser
wait_until = browser_test.wait_until
PASSWORD = browser_test.PASSWORD


def test_an_interested_reply_shows_on_the_dashboard_live_and_links_to_its_thread(asgi_server, user, organization,
                                                                                 browser):
    browser.get(f"{asgi_server}/")
    wait_until(browser, lambda d: d.find_elements(By.ID, "login-form"), "the login form")
    browser.find_element(By.NAME, "username").send_keys(user.username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "#login-form button[type=submit]").click()
    wait_until(browser, lambda d: d.find_element(By.ID, "live").get_attribute("data-state") == "on",
               "the dashboard socket to connect")
    browser.execute_script("window.__marker = 7;")

    Contact.objects.create(organization=organization, email="keen@client.example", first_name="Kim")
    raw = (b"From: Kim <keen@client.example>\r\nTo: jane@send1.test.example\r\nSubject: Re: Quick question\r\n"
           b"Message-ID: <keen-1@client.example>\r\n\r\nSounds good, let's talk on Tuesday.\r\n")
    reply = InboundMessage.objects.create(
        organization=organization, raw=raw, message_id="<keen-1@client.example>", from_address="keen@client.example",
        from_name="Kim", subject="Re: Quick question", body_text="Sounds good, let's talk on Tuesday.",
        new_text="Sounds good, let's talk on Tuesday.", category="interested", layer="rules")
    act_on(reply, match_message(reply))

    alert = wait_until(browser, lambda d: d.find_element(By.CSS_SELECTOR, f"#alerts .alert[data-reply-id='{reply.pk}']"),
                       "the interested alert on the dashboard")
    assert "keen@client.example" in alert.text and "Re: Quick question" in alert.text
    assert browser.execute_script("return window.__marker") == 7, "the page reloaded"

    alert.find_element(By.LINK_TEXT, "Open in the inbox").click()
    wait_until(browser, lambda d: "/inbox/" in d.current_url and d.find_element(By.ID, "thread").is_displayed()
               and d.find_element(By.ID, "thread-title").text == "Re: Quick question"
               and "let's talk on Tuesday" in d.find_element(By.ID, "thread-items").text,
               "the inbox to open the reply's thread")
