"""URLs of the analytics app: the page, its CSV export and the API."""

from django.urls import path

from analytics import api
from analytics.views import analytics_export, analytics_page

urlpatterns = [
    path("analytics/", analytics_page, name="analytics"),
    path("analytics/export.csv", analytics_export, name="analytics-export"),
    path("api/analytics/", api.analytics, name="analytics-api"),
]
