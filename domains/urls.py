"""URLs of the domains app: the Domains page and the domain API (under /api/); assignment is campaigns'."""

from django.urls import path

from domains import api
from domains.views import domain_pool_page

urlpatterns = [
    path("domains/", domain_pool_page, name="domains"),
    path("api/domains/", api.domain_list, name="domain-list"),
    path("api/domains/<str:name>/", api.domain_detail, name="domain-detail"),
]
