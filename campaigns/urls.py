"""URLs of the campaigns app: the Campaigns page, assigning domains to campaigns (the routes keep the domain API's
names), the sequence, campaign, enrollment, contact and list API (``campaigns.sequence_api``) and the contacts CSV
import (``campaigns.contacts_api``)."""

from django.urls import path

from campaigns import api, contacts_api, sequence_api
from campaigns.views import campaigns_page

urlpatterns = [
    path("campaigns/", campaigns_page, name="campaigns"),
    path("api/domain/assign", api.domain_assign, name="domain-assign"),
    path("api/domain/release", api.domain_release, name="domain-release"),
]

# Sequences, campaigns, enrollments, contacts and lists.
urlpatterns += [
    path("api/sequences/", sequence_api.sequence_list, name="sequence-list"),
    path("api/sequences/<slug:slug>/", sequence_api.sequence_detail, name="sequence-detail"),
    path("api/campaigns/", sequence_api.campaign_list, name="campaign-list"),
    path("api/campaigns/<slug:slug>/", sequence_api.campaign_detail, name="campaign-detail"),
    path("api/campaigns/<slug:slug>/start", sequence_api.campaign_start, name="campaign-start"),
    path("api/campaigns/<slug:slug>/pause", sequence_api.campaign_pause, name="campaign-pause"),
    path("api/campaigns/<slug:slug>/resume", sequence_api.campaign_resume, name="campaign-resume"),
    path("api/campaigns/<slug:slug>/enroll", sequence_api.campaign_enroll, name="campaign-enroll"),
    path("api/campaigns/<slug:slug>/preview", sequence_api.campaign_preview, name="campaign-preview"),
    path("api/enrollments/", sequence_api.enrollment_list, name="enrollment-list"),
    path("api/enrollments/<int:pk>/", sequence_api.enrollment_detail, name="enrollment-detail"),
    path("api/enrollments/<int:pk>/pause", sequence_api.enrollment_pause, name="enrollment-pause"),
    path("api/enrollments/<int:pk>/resume", sequence_api.enrollment_resume, name="enrollment-resume"),
    path("api/enrollments/<int:pk>/stop", sequence_api.enrollment_stop, name="enrollment-stop"),
    path("api/contacts/", sequence_api.contact_list, name="contact-list"),
    path("api/contacts/<int:pk>/", sequence_api.contact_detail, name="contact-detail"),
    path("api/lists/", sequence_api.list_list, name="list-list"),
    path("api/contacts/import", contacts_api.contacts_import, name="contacts-import"),
]
