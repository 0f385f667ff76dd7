"""URLs of the inboxes app (included by rex_project.urls)."""

from django.urls import path  # noqa: F401

urlpatterns: list = []
