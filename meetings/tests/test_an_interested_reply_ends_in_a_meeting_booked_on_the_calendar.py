"""End to end, on a real Celery worker, the real web role, Dovecot, an SMTP server, Radicale and headless Chromium:

an interested reply arrives in the sending inbox's mailbox (Dovecot) → the worker reads, triages and acts on it,
and the book_meeting agent's answer with the booking link and proposed slots reaches the SMTP server, threaded
under the reply → Chromium opens the link, switches the page to another time zone and books a slot in one click →
the event is on Radicale at the right UTC instant → both ICS invitations (prospect and owner) are in the SMTP
server, parseable by icalendar → the enrollment is meeting_booked and the sequence sends no further step.
"""

from __future__ import annotations

import email.policy
import re
import shutil
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from campaigns import sequencer
from campaigns.models import Enrollment
from campaigns.services import start_campaign
from campaigns.tests.conftest import build_sequence
from conftest import wait_for
from inboxes.models import Inbox, OutboundMessage
from meetings.models import Meeting
from meetings.tests.mail import invitations
from replies.models import InboundMessage
from rex_project.celery import CONTROL_QUEUE
from rex_project.celery import app as celery_app

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
STEPS = [
    ("email", [("A", "Quick question, {{first_name|there}}", "Hi {{first_name|there}}, worth a chat?")]),
    ("wait", 1),
    ("email", [("A", "", "Following up, {{first_name|there}}.")]),
]
# The browser says it is in Berlin; the visitor switches the page to Tokyo, a zone nine hours away from the
# owner's (New York) and from the browser's.
BROWSER_ZONE, VISITOR_ZONE = "Europe/Berlin", "Asia/Tokyo"


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[webdriver.Chrome]:
    missing = [path for path in (CHROMIUM, CHROMEDRIVER) if not Path(path).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found: run `scripts/ensure_browser.sh` (`make test` does)",
                    pytrace=False)
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1280,900", f"--user-data-dir={tmp_path / 'chromium-profile'}"):
        options.add_argument(argument)
    service = Service(executable_path=CHROMEDRIVER, log_output=str(tmp_path / "chromedriver.log"))
    try:
        driver = webdriver.Chrome(service=service, options=options)
    except WebDriverException as exc:
        pytest.fail(f"chromium did not start: {exc.msg}", pytrace=False)
    # The zone Intl reports, as a visitor's machine would have it.
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": BROWSER_ZONE})
    yield driver
    driver.quit()
    shutil.rmtree(tmp_path / "chromium-profile", ignore_errors=True)


def wait_until(driver: webdriver.Chrome, condition, what: str, timeout: float = 30) -> None:
    try:
        WebDriverWait(driver, timeout, poll_frequency=0.1).until(condition)
    except Exception as exc:
        try:
            console = [entry["message"] for entry in driver.get_log("browser")]
        except WebDriverException:
            console = []
        raise AssertionError(f"timed out waiting for {what}\nurl={driver.current_url}\nconsole={console}\n"
                             f"page={driver.page_source[:3000]}") from exc


def interested_reply(contact_email: str, first: OutboundMessage) -> bytes:
    mail = EmailMessage()
    mail["From"] = contact_email
    mail["To"] = first.inbox.address
    mail["Subject"] = f"Re: {first.subject}"
    mail["Date"] = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
    mail["Message-ID"] = make_msgid(domain="client.example")
    mail["In-Reply-To"] = first.message_id
    mail["References"] = first.message_id
    mail.set_content("Sounds good, let's talk. Happy to set up a call.\n\n"
                     f"On Mon, {first.inbox.address} wrote:\n> Worth a chat?\n")
    return mail.as_bytes(policy=email.policy.SMTP)


def test_an_interested_reply_ends_in_a_meeting_booked_on_the_calendar(
        meeting_world, dovecot, start_worker, asgi_server, browser):
    world = meeting_world(zone="America/New_York", approval_required=False)
    sequence_world = world.world
    # The campaign's sequence is the e2e's two-step one.
    world.campaign.sequence = build_sequence(world.organization, name="Two touches", steps=STEPS)
    world.campaign.save(update_fields=["sequence"])
    inbox = sequence_world.inboxes[0]
    user = f"meet{inbox.pk}x{int(datetime.now().timestamp())}"
    dovecot.add_user(user, "imap-secret")
    Inbox.objects.filter(pk=inbox.pk).update(imap_host=dovecot.host, imap_port=dovecot.port, imap_security="none",
                                             imap_username=user)
    inbox.refresh_from_db()
    inbox.set_password("imap-secret")
    inbox.save(update_fields=["password_encrypted"])
    keen = sequence_world.contact("keen@client.example", first_name="Kim")
    assert start_campaign(world.campaign, contact_list=sequence_world.list)["enrolled"] == 1
    start_worker(REX_PUBLIC_BASE_URL=settings.REX_PUBLIC_BASE_URL, REX_MAIL_SINK=f"127.0.0.1:{sequence_world.smtp.port}",
                 REX_SMTP_CA_FILE="", SENDGRID_API_KEY="")
    smtp = sequence_world.smtp

    # Step 1 goes out (the campaign's window is weekdays 9-17 UTC: a Monday morning).
    monday = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
    sequencer.tick(monday)
    wait_for(lambda: len(smtp.messages) == 1, 60, "the first step to reach the SMTP server")
    first = OutboundMessage.objects.select_related("inbox").get(to_address=keen.email)

    # The interested reply arrives; the worker reads it, triages it and runs the book_meeting agent.
    dovecot.append(user, interested_reply(keen.email, first))
    celery_app.send_task("replies.poll_inboxes", queue=CONTROL_QUEUE)
    wait_for(lambda: len(smtp.messages) == 2, 120, "the answer with the booking link to reach the SMTP server")
    reply = InboundMessage.objects.get(from_address=keen.email)
    assert reply.category == "interested"
    answer = smtp.messages[1]
    assert answer.rcpt_tos == [keen.email]
    text = answer.text_body()
    assert answer.message["In-Reply-To"] == reply.message_id
    # The proposed slots, in the contact's zone (the campaign's: the contact has none of their own).
    proposed = [line for line in text.splitlines() if line.startswith("- ") and line.endswith("(UTC)")]
    assert 2 <= len(proposed) <= 3, text
    link = re.search(r"https://\S+/book/(\S+)/", text)
    assert link, text

    # The visitor opens the link (on the web role under test: the public base URL names the production host).
    browser.get(f"{asgi_server}/book/{link.group(1)}/")
    wait_until(browser, lambda d: d.find_element(By.ID, "zone").get_attribute("value") == BROWSER_ZONE,
               "the page to detect the browser's zone")
    wait_until(browser, lambda d: BROWSER_ZONE in d.find_element(By.ID, "status").text
               and d.find_elements(By.CSS_SELECTOR, ".slot"), "the slots in the browser's zone")
    Select(browser.find_element(By.ID, "zone")).select_by_value(VISITOR_ZONE)
    wait_until(browser, lambda d: VISITOR_ZONE in d.find_element(By.ID, "status").text
               and d.find_elements(By.CSS_SELECTOR, ".slot"), "the slots in the visitor's zone")
    slot = browser.find_elements(By.CSS_SELECTOR, ".slot")[0]
    chosen = datetime.fromisoformat(slot.get_attribute("data-start").replace("Z", "+00:00"))
    shown = slot.text
    slot.click()
    wait_until(browser, lambda d: d.find_element(By.ID, "booked").is_displayed(), "the booking to be confirmed")
    assert VISITOR_ZONE in browser.find_element(By.ID, "booked").text

    # The page showed the slot in Tokyo time, and the meeting is at that UTC instant.
    assert shown.startswith(f"{chosen.astimezone(ZoneInfo(VISITOR_ZONE)):%H:%M}")
    meeting = Meeting.objects.get()
    assert meeting.start == chosen and meeting.timezone == VISITOR_ZONE

    # The worker writes the event to Radicale and mails both invitations.
    wait_for(lambda: len(invitations(smtp.messages)) == 2, 120, "both ICS invitations to reach the SMTP server")
    [event] = world.radicale.events(world.calendar.url)
    assert event.decoded("DTSTART") == chosen and event.decoded("DTEND") == chosen + timedelta(minutes=30)
    sent = invitations(smtp.messages)
    assert sorted(to for to, _, _ in sent) == ["keen@client.example", "owner@acme.example"]
    for _, ics, mail in sent:
        assert str(ics["METHOD"]) == "REQUEST"
        [vevent] = ics.walk("VEVENT")
        assert str(vevent["UID"]) == meeting.ics_uid and vevent.decoded("DTSTART") == chosen
        assert reply.message_id in mail["References"]

    enrollment = Enrollment.objects.get(contact=keen)
    assert enrollment.state == "meeting_booked"
    before = len(smtp.messages)
    sequencer.tick(monday + timedelta(days=3))
    sequencer.tick(datetime.now(UTC) + timedelta(days=3))
    wait_for(lambda: not Enrollment.objects.filter(claimed_until__isnull=False).exists(), 60, "the sends to settle")
    assert len(smtp.messages) == before
    assert not OutboundMessage.objects.filter(to_address=keen.email, sequence_message__step_index__gt=0).exists()
