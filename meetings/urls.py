"""URLs of the meetings app: the public booking page and the meetings API (under /api/)."""

from django.urls import path

from meetings import api
from meetings.views import booking_page, booking_slots

urlpatterns = [
    path("book/<str:token>/", booking_page, name="meeting-book"),
    path("book/<str:token>/slots", booking_slots, name="meeting-book-slots"),
    path("api/meetings/", api.meeting_list, name="meeting-list"),
    path("api/meetings/upcoming", api.meeting_upcoming, name="meeting-upcoming"),
    path("api/meetings/<int:pk>/reschedule", api.meeting_reschedule, name="meeting-reschedule"),
    path("api/meetings/<int:pk>/cancel", api.meeting_cancel, name="meeting-cancel"),
    path("api/meetings/drafts/", api.draft_list, name="meeting-draft-list"),
    path("api/meetings/drafts/<int:pk>/approve", api.draft_approve, name="meeting-draft-approve"),
    path("api/meetings/drafts/<int:pk>/reject", api.draft_reject, name="meeting-draft-reject"),
]
