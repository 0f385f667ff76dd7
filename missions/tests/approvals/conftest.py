"""The dashboard browser test's Chromium fixture, shared with the approval flow's browser test."""

from missions.tests.dashboard_and_admin.test_dashboard_updates_live_in_a_browser import browser  # noqa: F401
