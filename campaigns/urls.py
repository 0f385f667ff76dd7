"""URLs of the campaigns app: assigning domains to campaigns (the routes keep the domain API's names), contacts."""

from django.urls import path

from campaigns import api, contacts_api

urlpatterns = [
    path("api/domain/assign", api.domain_assign, name="domain-assign"),
    path("api/domain/release", api.domain_release, name="domain-release"),
]

# Contacts (campaigns.contacts_api).
urlpatterns += [
    path("api/contacts/import", contacts_api.contacts_import, name="contacts-import"),
]
