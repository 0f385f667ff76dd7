"""URLs of the domains app (included under /api/ by rex_project.urls; the Domains page is routed there too)."""

from django.urls import path

from domains import api

urlpatterns = [
    path("domain/assign", api.domain_assign, name="domain-assign"),
    path("domain/release", api.domain_release, name="domain-release"),
    path("domains/", api.domain_list, name="domain-list"),
    path("domains/<str:name>/", api.domain_detail, name="domain-detail"),
]
