from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken

from missions.api import views
from missions.api.agents import agents_status
from missions.api.parsers import TOKEN_PARSERS

# DRF's obtain_auth_token with our bounded JSON parser (its own would let a deeply nested body reach json.loads).
obtain_auth_token = ObtainAuthToken.as_view(parser_classes=TOKEN_PARSERS)

urlpatterns = [
    path("rex/command", views.rex_command, name="rex-command"),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/<uuid:mission_id>/", views.mission_detail, name="mission-detail"),
    path("missions/<uuid:mission_id>/cancel/", views.mission_cancel, name="mission-cancel"),
    path("missions/<uuid:mission_id>/retry/", views.mission_retry, name="mission-retry"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("agents/status", agents_status, name="agents-status"),
]
