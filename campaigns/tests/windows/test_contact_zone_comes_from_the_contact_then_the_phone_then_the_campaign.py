"""The contact's zone: their own IANA zone, else their phone number's when it settles it, else the campaign's."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from campaigns.windows import contact_zone, is_valid_zone, resolve_zone

CAMPAIGN = "Europe/Paris"
WINTER = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
SUMMER = datetime(2025, 7, 15, 12, 0, tzinfo=UTC)


def test_the_contacts_own_zone_comes_first():
    assert resolve_zone("Asia/Tokyo", "+442079460958", CAMPAIGN) == (ZoneInfo("Asia/Tokyo"), "contact")
    assert resolve_zone("  America/Chicago ", "", CAMPAIGN) == (ZoneInfo("America/Chicago"), "contact")


def test_a_contact_zone_that_is_not_an_iana_name_falls_through_to_the_phone():
    for bad in ("", "   ", "Mars/Olympus_Mons", "europe/london", "GMT+2 ", "Europe", "../../etc/passwd", "localtime"):
        assert resolve_zone(bad, "+442079460958", CAMPAIGN) == (ZoneInfo("Europe/London"), "phone"), bad
    assert resolve_zone(None, "+442079460958", CAMPAIGN) == (ZoneInfo("Europe/London"), "phone")


def test_a_uk_number_is_in_london():
    assert resolve_zone("", "+44 20 7946 0958", CAMPAIGN) == (ZoneInfo("Europe/London"), "phone")


def test_a_us_area_code_with_one_zone_gives_that_zone():
    assert resolve_zone("", "+1 212 555 0123", CAMPAIGN) == (ZoneInfo("America/New_York"), "phone")  # Manhattan
    assert resolve_zone("", "+14155550123", CAMPAIGN) == (ZoneInfo("America/Los_Angeles"), "phone")  # San Francisco


def test_a_number_whose_zones_disagree_gets_the_campaigns_zone():
    for ambiguous in (
        "+12085550123",  # Idaho: Boise and Los Angeles
        "+18005551234",  # US toll-free: the whole of the North American Numbering Plan
        "+61412345678",  # an Australian mobile
        "+79161234567",  # a Russian mobile
    ):
        assert resolve_zone("", ambiguous, CAMPAIGN, now=WINTER) == (ZoneInfo(CAMPAIGN), "campaign"), ambiguous


def test_a_number_whose_zones_agree_right_now_gets_the_first_of_them():
    # A Finnish mobile may be on the mainland or on Åland: always the same clock.
    assert resolve_zone("", "+358401234567", CAMPAIGN, now=SUMMER) == (ZoneInfo("Europe/Helsinki"), "phone")

    # Arizona's 928 shares numbers with the Navajo Nation: Phoenix keeps MST all year, Denver only in winter.
    assert resolve_zone("", "+19282831234", CAMPAIGN, now=WINTER) == (ZoneInfo("America/Denver"), "phone")
    assert resolve_zone("", "+19282831234", CAMPAIGN, now=SUMMER) == (ZoneInfo(CAMPAIGN), "campaign")


def test_unknown_invalid_or_missing_numbers_get_the_campaigns_zone():
    for phone in ("", None, "not a phone", "2079460958", "+15555555555", "+1999"):
        assert resolve_zone("", phone, CAMPAIGN) == (ZoneInfo(CAMPAIGN), "campaign"), phone


def test_contact_zone_is_the_zone_alone():
    assert contact_zone("", "+442079460958", CAMPAIGN) == ZoneInfo("Europe/London")
    assert contact_zone("", "", CAMPAIGN) == ZoneInfo(CAMPAIGN)


def test_an_invalid_campaign_zone_is_an_error_not_a_silent_utc():
    with pytest.raises(ValueError, match="campaign's time zone"):
        resolve_zone("", "", "Nowhere/Special")


def test_zone_names_are_valid_only_when_they_are_iana_names():
    assert is_valid_zone("Europe/London")
    assert is_valid_zone("UTC")
    assert not is_valid_zone("europe/london")
    assert not is_valid_zone("Europe")
    assert not is_valid_zone("")
    assert not is_valid_zone("Etc/Unknown")
    assert not is_valid_zone("/etc/passwd")


def test_a_uk_mobile_listed_under_several_same_clock_zones_is_named_london():
    # phonenumbers lists UK mobile ranges as Guernsey, Isle of Man, Jersey and London; the clocks agree, and the
    # zone shown to people is the country's own.
    zone, source = resolve_zone("", "+447911123456", "Asia/Tokyo")
    assert (zone.key, source) == ("Europe/London", "phone")
