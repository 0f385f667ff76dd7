from django.urls import path
from rest_framework.authtoken.views import obtain_auth_token

from missions.api import views
from missions.api.agents import agents_status

urlpatterns = [
    path("rex/command", views.rex_command, name="rex-command"),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/<uuid:mission_id>/", views.mission_detail, name="mission-detail"),
    path("missions/<uuid:mission_id>/cancel/", views.mission_cancel, name="mission-cancel"),
    path("missions/<uuid:mission_id>/retry/", views.mission_retry, name="mission-retry"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("agents/status", agents_status, name="agents-status"),
]
