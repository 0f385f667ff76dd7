"""URLs of the privacy app: the staff API for GDPR export and erasure (``privacy.api``)."""

from django.urls import path

from privacy import api

urlpatterns = [
    path("api/contacts/export", api.contacts_export, name="contacts-export"),
    path("api/contacts/erase", api.contacts_erase, name="contacts-erase"),
]
