from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    """Meetings on a real calendar: the owner's availability (CalDAV or Google), the public booking page, ICS
    invitations through the conversation's inbox, and the book-meeting agent.

    Sits above replies (it answers interested replies) and below privacy; it never imports sms.
    """

    name = "meetings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from live.streams import register_stream
        from meetings import follow_up
        from meetings.drafts import pending_drafts
        from meetings.services import STREAM, STREAM_DESCRIPTION, upcoming
        from missions.panels import DashboardPanel, register_panel
        from replies.actions import register_follow_up
        from replies.models import Category
        from replies.sections import InboxSection, register_section

        register_stream(STREAM, STREAM_DESCRIPTION)
        # Today's and upcoming meetings, and per campaign the meetings booked, on the dashboard (live).
        register_panel(DashboardPanel("meetings", "meetings/dashboard_panel.html", upcoming,
                                      script="rex/meetings_panel.js"))
        # The book-meeting agent's drafts that wait for a person: approve (edited or not) or reject on /inbox/ (live).
        register_section(InboxSection("meeting_drafts", "meetings/inbox_drafts.html", pending_drafts,
                                      script="rex/meeting_drafts.js"))
        # An interested reply is answered with the booking link (a book_meeting mission) instead of being parked.
        register_follow_up(Category.INTERESTED, follow_up.book_meeting_for_reply)
