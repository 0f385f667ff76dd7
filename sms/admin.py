"""Admin for SMS: sender numbers (add, register, pause and resume), their days and texts, Twilio's webhooks."""

from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest

from core.admin import ReadOnlyAdminMixin
from sms.models import SenderNumber, SenderNumberDay, SmsMessage, TwilioEvent, UndeliverablePhone


@admin.register(SenderNumber)
class SenderNumberAdmin(admin.ModelAdmin):
    list_display = ("phone_number", "organization", "status", "pause_reason", "a2p_campaign_id",
                    "messaging_service_sid", "daily_cap", "per_second")
    list_filter = ("status", "organization")
    search_fields = ("phone_number", "messaging_service_sid", "a2p_campaign_id")
    readonly_fields = ("created_at",)
    actions = ("pause_numbers", "resume_numbers")

    @admin.action(description="Pause the selected numbers")
    def pause_numbers(self, request: HttpRequest, queryset: QuerySet[SenderNumber]) -> None:
        paused = queryset.filter(status=SenderNumber.Status.ACTIVE).update(
            status=SenderNumber.Status.PAUSED, pause_reason=f"paused by {request.user.get_username()}"[:200])
        self.message_user(request, f"{paused} number(s) paused.")

    @admin.action(description="Resume the selected numbers")
    def resume_numbers(self, request: HttpRequest, queryset: QuerySet[SenderNumber]) -> None:
        resumed = 0
        for number in queryset.filter(status=SenderNumber.Status.PAUSED):
            number.status, number.pause_reason = SenderNumber.Status.ACTIVE, ""
            number.save()  # save() keeps an unregistered US long code unregistered
            resumed += number.status == SenderNumber.Status.ACTIVE
        self.message_user(request, f"{resumed} number(s) resumed.", messages.SUCCESS)


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


@admin.register(SenderNumberDay)
class SenderNumberDayAdmin(ReadOnlyAdmin):
    list_display = ("number", "day", "sent")
    list_filter = ("day",)


@admin.register(SmsMessage)
class SmsMessageAdmin(ReadOnlyAdmin):
    list_display = ("outbound", "from_number", "messaging_service_sid", "delivery_status", "error_code", "attempts")
    list_filter = ("delivery_status",)


@admin.register(TwilioEvent)
class TwilioEventAdmin(ReadOnlyAdmin):
    list_display = ("kind", "message_sid", "message_status", "outcome", "received_at")
    list_filter = ("kind",)
    search_fields = ("message_sid",)


@admin.register(UndeliverablePhone)
class UndeliverablePhoneAdmin(admin.ModelAdmin):
    """Read, and delete when a number is known to take texts again (ported to a mobile): texting then resumes."""

    list_display = ("organization", "error_code", "source", "created_at")
    list_filter = ("error_code", "organization")
    search_fields = ("source",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # only Twilio's report proves a number dead

    def has_change_permission(self, request: HttpRequest, obj: UndeliverablePhone | None = None) -> bool:
        return False
