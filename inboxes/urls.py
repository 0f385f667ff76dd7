"""URLs of the inboxes app (included at the site root by rex_project.urls)."""

from django.urls import path

from inboxes import views, webhooks

urlpatterns: list = [
    path("u/<str:token>", views.unsubscribe, name="unsubscribe"),
    path("webhook/sendgrid", webhooks.sendgrid_webhook, name="sendgrid-webhook"),
]
