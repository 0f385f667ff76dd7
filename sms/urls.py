"""URLs of the sms app: Twilio's two webhooks and the sender numbers' API."""

from django.urls import path

from sms import api, webhooks

urlpatterns: list = [
    path("webhook/twilio/status", webhooks.status_callback, name="twilio-status"),
    path("webhook/twilio/inbound", webhooks.inbound, name="twilio-inbound"),
    path("api/sms/numbers", api.sender_numbers, name="sms-numbers"),
]
