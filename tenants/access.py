"""Which organization a request acts for, resolved once per request, and querysets scoped to it.

The API and the pages alike: ``X-Rex-Organization: <slug>`` picks one of the caller's organizations when they
belong to several; without it, their first. Views never resolve the tenant themselves: API views get it from the
``OrganizationMember`` permission (on by default for every DRF view), pages from ``@organization_page``; both
put it on ``request.organization``. Lookups go through ``scoped`` / ``get_scoped_or_404``, which combine the
tenant check with the lookup, so another organization's row answers 404 exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import BasePermission

from tenants.models import Organization

ORG_HEADER = "HTTP_X_REX_ORGANIZATION"
NOT_A_MEMBER = "you are not a member of any organization (or not of the one named)"

M = TypeVar("M", bound=Model)


def resolve_organization(request: HttpRequest) -> Organization | None:
    """The organization this request acts for, or None (anonymous, no membership, or not a member of the named one).

    Kept on Django's request as ``organization`` (None included), where a DRF Request finds it too: the
    permission, a page and anything they call share one lookup.
    """
    django_request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    if not hasattr(django_request, "organization"):
        django_request.organization = Organization.for_user(getattr(request, "user", None),
                                                            django_request.META.get(ORG_HEADER) or None)
    return django_request.organization


class OrganizationMember(BasePermission):
    """DRF permission: the caller belongs to the organization the request acts for; sets ``request.organization``.

    In ``DEFAULT_PERMISSION_CLASSES`` after ``IsAuthenticated``, so an anonymous caller still gets 401 and an
    authenticated one without an organization 403.
    """

    message = NOT_A_MEMBER

    def has_permission(self, request: Any, view: Any) -> bool:
        return resolve_organization(request) is not None


def organization_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A logged-in page that acts for an organization: ``request.organization`` is set (None: the user has none).

    Pages render their empty state for a user without an organization rather than an error page.
    """

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        resolve_organization(request)
        return view(request, *args, **kwargs)

    return wrapped


def _organization(request: Any) -> Organization:
    """The request's organization (resolved once: usually by ``OrganizationMember`` or ``organization_page``)."""
    organization = resolve_organization(request)
    if organization is None:
        raise PermissionDenied(NOT_A_MEMBER)
    return organization


def scoped(queryset: QuerySet[M], request_or_organization: Any) -> QuerySet[M]:
    """``queryset`` limited to the request's organization (or to the organization given)."""
    if isinstance(request_or_organization, Organization):
        organization = request_or_organization
    else:
        organization = _organization(request_or_organization)
    return queryset.filter(organization=organization)


def get_scoped_or_404(queryset: QuerySet[M], request_or_organization: Any, **lookup: Any) -> M:
    """One row of the request's organization; 404 for a missing row and for another organization's alike."""
    try:
        return scoped(queryset, request_or_organization).get(**lookup)
    # A malformed id (not a UUID, say: ValueError, TypeError, ValidationError) names nothing either.
    except (queryset.model.DoesNotExist, ValueError, TypeError, ValidationError) as exc:
        raise Http404(f"no {queryset.model._meta.verbose_name} matches the given query") from exc
