"""Staff API for a person's GDPR request, in the caller's organization: ``GET /api/contacts/export?email=`` and
``POST /api/contacts/erase`` (``{"email": …}``). Django staff only (``is_staff``); 404 when the organization holds
nothing about the address; both audited by ``privacy.personal_data``."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view, permission_classes
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from privacy.personal_data import Person, PersonNotFound, check_person, do_erase_person, do_export_person
from tenants.access import OrganizationMember

TAGS = ["privacy"]


class PersonRequestSerializer(serializers.Serializer):
    email = serializers.EmailField(max_length=254, help_text="The person's email address (any case).")


class ErasureSerializer(serializers.Serializer):
    email_sha256 = serializers.CharField(help_text="SHA-256 of the address: what the suppression list keeps.")
    rows = serializers.DictField(child=serializers.IntegerField(), help_text="Rows changed, by model.")


def _person(request: Request, data: object) -> Person:
    form = PersonRequestSerializer(data=data)
    form.is_valid(raise_exception=True)
    try:
        return check_person(request.organization, form.validated_data["email"])
    except PersonNotFound as exc:
        raise NotFound(str(exc)) from exc


@extend_schema(
    parameters=[OpenApiParameter("email", str, required=True, description="The person's email address.")],
    responses={200: OpenApiResponse(description="Everything held about the person (docs/operations.md)."),
               400: OpenApiResponse(description="`email` missing or not an address."),
               403: OpenApiResponse(description="Not staff."),
               404: OpenApiResponse(description="The organization holds nothing about the address.")},
    summary="Export everything held about a person (GDPR Art. 15)", operation_id="contacts_export", tags=TAGS,
)
@api_view(["GET"])
@permission_classes([IsAuthenticated, IsAdminUser, OrganizationMember])
def contacts_export(request: Request) -> Response:
    person = _person(request, request.query_params)
    return Response(do_export_person(person, actor=request.user.get_username()))


@extend_schema(
    request=PersonRequestSerializer,
    responses={200: ErasureSerializer,
               400: OpenApiResponse(description="`email` missing or not an address."),
               403: OpenApiResponse(description="Not staff."),
               404: OpenApiResponse(description="The organization holds nothing about the address.")},
    summary="Erase a person, keeping a hashed suppression (GDPR Art. 17)", operation_id="contacts_erase",
    tags=TAGS,
)
@api_view(["POST"])
@permission_classes([IsAuthenticated, IsAdminUser, OrganizationMember])
def contacts_erase(request: Request) -> Response:
    person = _person(request, request.data)
    report = do_erase_person(person, actor=request.user.get_username())
    return Response(ErasureSerializer(report).data, status=status.HTTP_200_OK)
