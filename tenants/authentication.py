"""API authentication by ApiToken: ``Authorization: Token <key>`` (as DRF's authtoken had it) or ``Bearer <key>``.

The key is looked up by its SHA-256 (tenants.models.ApiToken keeps nothing else of it), through the process's
short-lived credentials cache (tenants.credentials: token, user and organizations, forgotten by every process on
any change to them); an unknown, expired or revoked key, or one of a deactivated user, is a 401 with a reason,
never an anonymous request.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from tenants.credentials import credentials_for, remember
from tenants.models import ApiToken, hash_api_key

KEYWORDS = (b"token", b"bearer")


class ApiTokenAuthentication(BaseAuthentication):
    # The scheme named in WWW-Authenticate on a 401 (DRF answers 401 rather than 403 only when there is one).
    keyword = "Token"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        words = get_authorization_header(request).split()
        if not words or words[0].lower() not in KEYWORDS:
            return None  # another scheme (or none): the session authentication may still know the user
        if len(words) != 2:
            raise exceptions.AuthenticationFailed("Invalid token header: give the key after the scheme, with no spaces.")
        try:
            key = words[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Invalid token header: the key has non-ASCII characters.") from None
        key_hash = hash_api_key(key)
        credentials = credentials_for(key_hash)
        if credentials is None:
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = credentials.token
        # Checked on every request, cached or not: expiry needs no invalidation.
        refusal = token.refusal()
        if refusal is not None:
            raise exceptions.AuthenticationFailed(refusal)
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("User inactive or deleted.")
        used_before = token.last_used_at
        token.note_use()
        if token.last_used_at != used_before:
            remember(key_hash, credentials)  # else every request of the next minute would try the write again
        # Organization.for_user picks the request's tenant from these instead of querying the memberships.
        token.user.cached_organizations = credentials.organizations
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the OpenAPI schema describes it: the same "tokenAuth" scheme DRF's TokenAuthentication had."""

    target_class = "tenants.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": 'The key from POST /api/auth/token/ (or the admin), as "Token <key>" or "Bearer <key>"'}
