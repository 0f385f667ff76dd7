"""URLs of the inboxes app: one-click unsubscribe and the SendGrid event webhook."""

from django.urls import path

from inboxes import views, webhooks

urlpatterns: list = [
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("webhook/sendgrid", webhooks.sendgrid_webhook, name="sendgrid-webhook"),
]
