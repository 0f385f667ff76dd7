"""Ops screens for what came back: inbound messages with their triage and actions, and each mailbox's cursor (its
last IMAP error). Both are records REX writes; a person relabels a reply on the inbox page, where the correction is
kept and acted on."""

from __future__ import annotations

from django.contrib import admin

from core.admin import ReadOnlyAdminMixin
from replies.models import InboundMessage, MailboxCursor, SentReply


@admin.register(InboundMessage)
class InboundMessageAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["received_at", "from_address", "subject", "category", "layer", "corrected_category", "match",
                    "inbox", "acted_at"]
    list_filter = ["category", "layer", "match", "organization"]
    search_fields = ["from_address", "subject", "message_id"]
    list_select_related = ["inbox"]
    date_hierarchy = "received_at"
    exclude = ["raw"]
    readonly_fields = ["organization", "inbox", "channel", "folder", "uidvalidity", "uid", "message_id", "in_reply_to",
                       "references", "from_address", "from_name", "to_address", "subject", "sent_at", "received_at",
                       "body_text", "new_text", "outbound", "contact", "enrollment", "match", "category", "layer",
                       "confidence", "details", "triaged_at", "corrected_category", "corrected_by", "corrected_at",
                       "acted_at", "actions"]


@admin.register(MailboxCursor)
class MailboxCursorAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["inbox", "folder", "uidvalidity", "last_uid", "messages_read", "last_polled_at", "last_error",
                    "last_error_at"]
    list_filter = [("last_error", admin.EmptyFieldListFilter)]
    search_fields = ["inbox__address"]
    list_select_related = ["inbox"]
    readonly_fields = ["inbox", "folder", "uidvalidity", "last_uid", "messages_read", "last_polled_at", "last_error",
                       "last_error_at"]


@admin.register(SentReply)
class SentReplyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "inbound", "message", "sent_by"]
    list_select_related = ["inbound", "message", "sent_by"]
    readonly_fields = ["inbound", "message", "body", "sent_by", "request_id", "created_at"]
