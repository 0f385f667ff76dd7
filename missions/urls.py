"""URLs of the missions app: the dashboard and the mission API (under /api/)."""

from django.urls import include, path

from missions import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("api/", include("missions.api.urls")),
]
