"""URLs of the campaigns app: assigning domains to campaigns (the routes keep the domain API's names)."""

from django.urls import path

from campaigns import api

urlpatterns = [
    path("api/domain/assign", api.domain_assign, name="domain-assign"),
    path("api/domain/release", api.domain_release, name="domain-release"),
]
