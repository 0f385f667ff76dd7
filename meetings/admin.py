from django.contrib import admin

from meetings.models import BookingLink, CalendarAccount, CampaignMeetings, Meeting, MeetingDraft


@admin.register(CalendarAccount)
class CalendarAccountAdmin(admin.ModelAdmin):
    list_display = ("name", "organization", "owner", "backend", "timezone", "meeting_minutes")
    exclude = ("secret_encrypted",)  # set with CalendarAccount.set_secret, never shown


@admin.register(CampaignMeetings)
class CampaignMeetingsAdmin(admin.ModelAdmin):
    list_display = ("campaign", "calendar", "approval_required", "link_valid_days")


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ("contact", "start", "end", "status", "sequence", "owner", "campaign")
    list_filter = ("status",)
    readonly_fields = ("ics_uid", "sequence", "calendar_event_id", "delivered_sequence", "status")


@admin.register(MeetingDraft)
class MeetingDraftAdmin(admin.ModelAdmin):
    list_display = ("to_address", "status", "created_at")
    list_filter = ("status",)


admin.site.register(BookingLink)
