"""URLs of the campaigns app: the Campaigns page, and assigning domains to campaigns (the routes keep the domain
API's names)."""

from django.urls import path

from campaigns import api
from campaigns.views import campaigns_page

urlpatterns = [
    path("campaigns/", campaigns_page, name="campaigns"),
    path("api/domain/assign", api.domain_assign, name="domain-assign"),
    path("api/domain/release", api.domain_release, name="domain-release"),
]
