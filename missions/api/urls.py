from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import path
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle

from core.lockout import lockout_response
from missions.api import spend, views
from missions.api.agents import agents_status
from missions.api.parsers import TOKEN_PARSERS
from tenants.models import ApiToken


# DRF's obtain_auth_token, issuing a new hashed ApiToken per call instead of DRF's one plaintext key per user, with
# our bounded JSON parser (its own would let a deeply nested body reach json.loads)
# and the "auth" throttle per client address (DRF's view has no throttle at all): password guessing across many
# usernames, which the per-user-and-address lockout (django-axes) does not count together, is slowed here.
class ObtainAuthTokenView(ObtainAuthToken):
    parser_classes = TOKEN_PARSERS
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "auth"

    def post(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The key is never stored, so the same user cannot be handed "their" key again: each call issues one.
        token, key = ApiToken.objects.issue(serializer.validated_data["user"], name="POST /api/auth/token/")
        return Response({"token": key, "expires_at": token.expires_at})

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
    path("rex/commands", views.rex_commands, name="rex-commands"),
    path("missions/", views.mission_list, name="mission-list"),
    path("missions/status", views.mission_statuses, name="mission-statuses"),
    path("missions/<uuid:mission_id>/", views.mission_detail, name="mission-detail"),
    path("missions/<uuid:mission_id>/cancel/", views.mission_cancel, name="mission-cancel"),
    path("missions/<uuid:mission_id>/retry/", views.mission_retry, name="mission-retry"),
    path("missions/<uuid:mission_id>/approve/", views.mission_approve, name="mission-approve"),
    path("missions/<uuid:mission_id>/reject/", views.mission_reject, name="mission-reject"),
    path("spend/budget", spend.spend_budget, name="spend-budget"),
    path("auth/token/", obtain_auth_token, name="auth-token"),
    path("agents/status", agents_status, name="agents-status"),
]
