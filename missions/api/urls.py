from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.throttling import ScopedRateThrottle

from core.lockout import lockout_response
from missions.api import views
from missions.api.agents import agents_status
from missions.api.parsers import TOKEN_PARSERS


# DRF's obtain_auth_token with our bounded JSON parser (its own would let a deeply nested body reach json.loads)
# and the "auth" throttle per client address (DRF's view has no throttle at all): password guessing across many
# usernames, which the per-user-and-address lockout (django-axes) does not count together, is slowed here.
class ObtainAuthTokenView(ObtainAuthToken):
    parser_classes = TOKEN_PARSERS
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = super().dispatch(request, *args, **kwargs)
        # django-axes flags a refused login on the request authenticate() was given, here DRF's wrapper
        # (self.request), which AxesMiddleware never sees: without this the lockout would be a plain 400.
        if getattr(self.request, "axes_locked_out", False):
            return lockout_response(request)
        return response


obtain_auth_token = ObtainAuthTokenView.as_view()

urlpatterns = [
    path("rex/command", views.rex_command, name="rex-command"),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/<uuid:mission_id>/", views.mission_detail, name="mission-detail"),
    path("missions/<uuid:mission_id>/cancel/", views.mission_cancel, name="mission-cancel"),
    path("missions/<uuid:mission_id>/retry/", views.mission_retry, name="mission-retry"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("agents/status", agents_status, name="agents-status"),
]
