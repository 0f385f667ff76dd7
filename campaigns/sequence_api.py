"""The sequence, campaign, enrollment, contact and list API (docs/api.md, "Sequences and campaigns").

Views are thin: validate with ``campaigns.sequence_serializers``, act through ``campaigns.services`` and the
models' methods, serialize. Everything is scoped to the caller's organization (``tenants.access``): another
organization's rows answer 404 like missing ones, and its slugs or ids in a body are unknown (400).

Errors: bad input is 400 with field errors (list items keyed by index, see ``sequence_serializers``); a
``CampaignError`` from the services is 400 ``{field: [message]}``; a move the state machine forbids (pausing a
completed enrollment) and deleting a sequence campaigns run are 409 ``{"detail": message}``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import Count, Prefetch, Q, QuerySet
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from campaigns import services
from campaigns.models import (
    Campaign,
    Contact,
    ContactList,
    Enrollment,
    EnrollmentState,
    IllegalEnrollmentTransition,
    Sequence,
    SequenceStep,
    StepVariant,
)
from campaigns.sequence_serializers import (
    CampaignSerializer,
    CampaignStartRequestSerializer,
    CampaignStartSerializer,
    CampaignStatusChangeSerializer,
    ContactFilterSerializer,
    ContactListSerializer,
    ContactSerializer,
    EnrollmentDetailSerializer,
    EnrollmentFilterSerializer,
    EnrollmentSerializer,
    EnrollReportSerializer,
    EnrollRequestSerializer,
    PreviewRequestSerializer,
    PreviewSerializer,
    SequenceSerializer,
    sequence_rule_errors,
)
from core.pagination import page_of, paginate
from tenants.access import get_scoped_or_404, scoped

FIELD_ERRORS = OpenApiResponse(description="Field errors: a field maps to its messages; list items are keyed by "
                                           "their index (\"steps\": {\"2\": {\"variants\": {\"0\": {\"body\": [...]}}}}).")
NOT_FOUND = OpenApiResponse(description="No such row in your organization.")
SLUG = OpenApiParameter("slug", str, OpenApiParameter.PATH)
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)


def actor_of(request: Request) -> str:
    return request.user.get_username()


def context_of(request: Request, **extra: Any) -> dict[str, Any]:
    return {"organization": request.organization, "request": request, **extra}


def campaign_error(exc: services.CampaignError) -> Response:
    return Response({exc.field: [exc.message]}, status=status.HTTP_400_BAD_REQUEST)


def conflict(message: str) -> Response:
    return Response({"detail": message}, status=status.HTTP_409_CONFLICT)


def page_response(request: Request, queryset: QuerySet, serializer_class: type, **context: Any) -> Response:
    return paginate(request, queryset,
                    lambda page: serializer_class(page, many=True, context=context_of(request, **context)).data)


# --- sequences ------------------------------------------------------------------------------------------------------

def sequences_in(request: Request) -> QuerySet[Sequence]:
    steps = SequenceStep.objects.order_by("position").prefetch_related(
        Prefetch("variants", queryset=StepVariant.objects.order_by("label")))
    return scoped(Sequence.objects.prefetch_related(Prefetch("steps", queryset=steps), "campaigns"), request)


@extend_schema(methods=["GET"], responses={200: page_of(SequenceSerializer)}, summary="List sequences",
               operation_id="sequences_list", tags=["sequences"])
@extend_schema(methods=["POST"], request=SequenceSerializer, responses={201: SequenceSerializer, 400: FIELD_ERRORS},
               summary="Create a sequence with its steps and variants", operation_id="sequences_create",
               tags=["sequences"])
@api_view(["GET", "POST"])
def sequence_list(request: Request) -> Response:
    if request.method == "GET":
        return page_response(request, sequences_in(request).order_by("name"), SequenceSerializer)
    form = SequenceSerializer(data=request.data, context=context_of(request))
    form.is_valid(raise_exception=True)
    sequence = form.save()
    return Response(SequenceSerializer(sequences_in(request).get(pk=sequence.pk)).data, status=status.HTTP_201_CREATED)


@extend_schema(methods=["GET"], parameters=[SLUG], responses={200: SequenceSerializer, 404: NOT_FOUND},
               summary="One sequence", operation_id="sequences_retrieve", tags=["sequences"])
@extend_schema(methods=["PUT"], parameters=[SLUG], request=SequenceSerializer,
               responses={200: SequenceSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Replace a sequence's name and steps (updated in place: steps by position, variants by label)",
               operation_id="sequences_update", tags=["sequences"])
@extend_schema(methods=["PATCH"], parameters=[SLUG], request=SequenceSerializer,
               responses={200: SequenceSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Change a sequence's name or steps (a steps list replaces them all)",
               operation_id="sequences_partial_update", tags=["sequences"])
@extend_schema(methods=["DELETE"], parameters=[SLUG],
               responses={204: None, 404: NOT_FOUND, 409: OpenApiResponse(description="Campaigns run it.")},
               summary="Delete a sequence no campaign runs", operation_id="sequences_destroy", tags=["sequences"])
@api_view(["GET", "PUT", "PATCH", "DELETE"])
def sequence_detail(request: Request, slug: str) -> Response:
    sequence = get_scoped_or_404(sequences_in(request), request, slug=slug)
    if request.method == "GET":
        return Response(SequenceSerializer(sequence).data)
    if request.method == "DELETE":
        users = [c.slug for c in sequence.campaigns.all()]
        if users:
            return conflict(f"sequence {sequence.slug} is run by campaign(s) {', '.join(users)}; give them another "
                            "sequence (or delete them) first")
        sequence.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
    form = SequenceSerializer(sequence, data=request.data, partial=request.method == "PATCH",
                              context=context_of(request))
    form.is_valid(raise_exception=True)
    form.save()
    return Response(SequenceSerializer(sequences_in(request).get(pk=sequence.pk)).data)


# --- campaigns ------------------------------------------------------------------------------------------------------

def campaigns_in(request: Request) -> QuerySet[Campaign]:
    return scoped(Campaign.objects.select_related("sequence", "contact_list"), request)


def campaign_body(request: Request, campaign: Campaign) -> dict[str, Any]:
    figures = services.campaign_figures([campaign.pk])
    return CampaignSerializer(campaign, context=context_of(request, figures=figures)).data


@extend_schema(methods=["GET"], responses={200: page_of(CampaignSerializer)},
               summary="List campaigns with their figures", operation_id="campaigns_list", tags=["campaigns"])
@extend_schema(methods=["POST"], request=CampaignSerializer, responses={201: CampaignSerializer, 400: FIELD_ERRORS},
               summary="Create a campaign (a draft)", operation_id="campaigns_create", tags=["campaigns"])
@api_view(["GET", "POST"])
def campaign_list(request: Request) -> Response:
    if request.method == "POST":
        form = CampaignSerializer(data=request.data, context=context_of(request))
        form.is_valid(raise_exception=True)
        return Response(campaign_body(request, form.save()), status=status.HTTP_201_CREATED)
    return paginate(request, campaigns_in(request).order_by("name"), lambda page: campaign_rows(request, page))


def campaign_rows(request: Request, page: list[Campaign]) -> list[dict[str, Any]]:
    # One figures computation for the whole page: its queries do not grow with the number of campaigns.
    figures = services.campaign_figures([c.pk for c in page])
    return CampaignSerializer(page, many=True, context=context_of(request, figures=figures)).data


@extend_schema(methods=["GET"], parameters=[SLUG], responses={200: CampaignSerializer, 404: NOT_FOUND},
               summary="One campaign with its figures", operation_id="campaigns_retrieve", tags=["campaigns"])
@extend_schema(methods=["PATCH"], parameters=[SLUG], request=CampaignSerializer,
               responses={200: CampaignSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Change a campaign's sequence, list, window or pacing", operation_id="campaigns_partial_update",
               tags=["campaigns"])
@api_view(["GET", "PATCH"])
def campaign_detail(request: Request, slug: str) -> Response:
    campaign = get_scoped_or_404(campaigns_in(request), request, slug=slug)
    if request.method == "PATCH":
        form = CampaignSerializer(campaign, data=request.data, partial=True, context=context_of(request))
        form.is_valid(raise_exception=True)
        campaign = form.save()
    return Response(campaign_body(request, campaign))


@extend_schema(parameters=[SLUG], request=CampaignStartRequestSerializer,
               responses={200: CampaignStartSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Start a campaign: give it its sequence (and list), make it active, enroll the list",
               operation_id="campaigns_start", tags=["campaigns"])
@api_view(["POST"])
def campaign_start(request: Request, slug: str) -> Response:
    campaign = get_scoped_or_404(campaigns_in(request), request, slug=slug)
    form = CampaignStartRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    organization = request.organization
    try:
        sequence = services.sequence_named(organization, data["sequence"]) if data.get("sequence") else None
        contact_list = services.list_named(organization, data["list"]) if data.get("list") else None
        result = services.start_campaign(campaign, sequence=sequence, contact_list=contact_list,
                                         actor=actor_of(request))
    except services.CampaignError as exc:
        return campaign_error(exc)
    return Response(CampaignStartSerializer(result).data)


@extend_schema(parameters=[SLUG], request=None,
               responses={200: CampaignStatusChangeSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Pause a campaign: nothing is sent, enrollments keep their place",
               operation_id="campaigns_pause", tags=["campaigns"])
@api_view(["POST"])
def campaign_pause(request: Request, slug: str) -> Response:
    return _change_status(request, slug, services.pause_campaign)


@extend_schema(parameters=[SLUG], request=None,
               responses={200: CampaignStatusChangeSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Resume a paused campaign", operation_id="campaigns_resume", tags=["campaigns"])
@api_view(["POST"])
def campaign_resume(request: Request, slug: str) -> Response:
    return _change_status(request, slug, services.resume_campaign)


def _change_status(request: Request, slug: str, change: Callable[..., dict[str, Any]]) -> Response:
    campaign = get_scoped_or_404(campaigns_in(request), request, slug=slug)
    try:
        return Response(change(campaign, actor=actor_of(request)))
    except services.CampaignError as exc:
        return campaign_error(exc)


@extend_schema(parameters=[SLUG], request=EnrollRequestSerializer,
               responses={200: EnrollReportSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Enroll a list's contacts, or some contacts, in a campaign (again: no-op)",
               operation_id="campaigns_enroll", tags=["campaigns"])
@api_view(["POST"])
def campaign_enroll(request: Request, slug: str) -> Response:
    campaign = get_scoped_or_404(campaigns_in(request), request, slug=slug)
    form = EnrollRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    organization = request.organization
    try:
        if "list" in form.validated_data:
            contacts = list(services.list_named(organization, form.validated_data["list"]).contacts.all())
        else:
            ids = set(form.validated_data["contacts"])
            contacts = list(scoped(Contact.objects.filter(pk__in=ids), request))
            unknown = sorted(ids - {c.pk for c in contacts})
            if unknown:
                return Response({"contacts": [f"unknown contacts: {', '.join(map(str, unknown))}"]},
                                status=status.HTTP_400_BAD_REQUEST)
        report = services.enroll(campaign, contacts, actor=actor_of(request))
    except services.CampaignError as exc:
        return campaign_error(exc)
    return Response(report.as_dict())


@extend_schema(parameters=[SLUG], request=PreviewRequestSerializer,
               responses={200: PreviewSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="The email a contact would get for a step and variant (saved or unsaved texts)",
               operation_id="campaigns_preview", tags=["campaigns"])
@api_view(["POST"])
def campaign_preview(request: Request, slug: str) -> Response:
    campaign = get_scoped_or_404(campaigns_in(request), request, slug=slug)
    form = PreviewRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    data = form.validated_data
    if campaign.sequence is None:
        return Response({"sequence": [f"campaign {campaign.slug} has no sequence; give it one first"]},
                        status=status.HTTP_400_BAD_REQUEST)
    steps = campaign.sequence.ordered_steps()
    step = next((s for s in steps if s.position == data["step"]), None)
    if step is None or step.kind != SequenceStep.Kind.EMAIL:
        return Response({"step": [f"sequence {campaign.sequence.slug} has no email step at position {data['step']}"]},
                        status=status.HTTP_400_BAD_REQUEST)
    variant = next((v for v in step.variants.all() if v.label == data["variant"]), None)
    if "subject" in data or "body" in data:
        # The editor's unsaved text, on the saved step: checked exactly as saving the sequence would check it.
        variant = StepVariant(step=step, label=data["variant"],
                              subject_template=data.get("subject", variant.subject_template if variant else ""),
                              body_template=data.get("body", variant.body_template if variant else ""))
        step_data = [{"kind": s.kind, "wait_days": s.wait_days,
                      "variants": [{"label": variant.label, "subject_template": variant.subject_template,
                                    "body_template": variant.body_template}] if s.pk == step.pk else []}
                     for s in steps if s.position <= step.position]
        errors = sequence_rule_errors(step_data, services.known_variables(request.organization))
        variant_errors = errors.get(str(len(step_data) - 1), {}).get("variants", {}).get("0", {})
        if variant_errors:
            return Response(variant_errors, status=status.HTTP_400_BAD_REQUEST)
    if variant is None:
        return Response({"variant": [f"step {step.position} has no variant {data['variant']}"]},
                        status=status.HTTP_400_BAD_REQUEST)
    contact = preview_contact(request, campaign, data.get("contact"))
    if contact is None:
        field = "contact"
        message = "no such contact in your organization" if data.get("contact") else "add a contact to preview with"
        return Response({field: [message]}, status=status.HTTP_400_BAD_REQUEST)
    try:
        body = services.preview(campaign, step, variant, contact, sender_name=campaign.from_name)
    except services.CampaignError as exc:
        return campaign_error(exc)
    body["contact"] = {"id": contact.pk, "email": contact.email, "first_name": contact.first_name}
    return Response(PreviewSerializer(body).data)


def preview_contact(request: Request, campaign: Campaign, contact_id: int | None) -> Contact | None:
    """The contact asked for, else the first of the campaign's list, else the organization's first."""
    contacts = scoped(Contact.objects.order_by("id"), request)
    if contact_id is not None:
        return contacts.filter(pk=contact_id).first()
    if campaign.contact_list_id is not None:
        first = contacts.filter(lists=campaign.contact_list_id).first()
        if first is not None:
            return first
    return contacts.first()


# --- enrollments ----------------------------------------------------------------------------------------------------

def enrollments_in(request: Request) -> QuerySet[Enrollment]:
    return scoped(Enrollment.objects.select_related("campaign", "contact", "inbox"), request)


@extend_schema(
    parameters=[OpenApiParameter("campaign", str, description="A campaign's slug."),
                OpenApiParameter("state", str, enum=[s.value for s in EnrollmentState]),
                OpenApiParameter("contact", int, description="A contact's id."),
                OpenApiParameter("page", int)],
    responses={200: page_of(EnrollmentSerializer), 400: OpenApiResponse(description="Unknown campaign or state.")},
    summary="List enrollments (who is where in which campaign)", operation_id="enrollments_list", tags=["enrollments"])
@api_view(["GET"])
def enrollment_list(request: Request) -> Response:
    query = {name: request.query_params[name] for name in ("campaign", "state", "contact") if name in request.query_params}
    filters = EnrollmentFilterSerializer(data=query, context=context_of(request))
    filters.is_valid(raise_exception=True)
    queryset = enrollments_in(request)
    if "campaign" in filters.validated_data:
        queryset = queryset.filter(campaign=filters.validated_data["campaign"])
    if "state" in filters.validated_data:
        queryset = queryset.filter(state=filters.validated_data["state"])
    if "contact" in filters.validated_data:
        queryset = queryset.filter(contact_id=filters.validated_data["contact"])
    return page_response(request, queryset.order_by("id"), EnrollmentSerializer)


@extend_schema(parameters=[ID], responses={200: EnrollmentDetailSerializer, 404: NOT_FOUND},
               summary="One enrollment with its audit trail", operation_id="enrollments_retrieve", tags=["enrollments"])
@api_view(["GET"])
def enrollment_detail(request: Request, pk: int) -> Response:
    enrollment = get_scoped_or_404(enrollments_in(request).prefetch_related("transitions"), request, pk=pk)
    return Response(EnrollmentDetailSerializer(enrollment).data)


ENROLLMENT_MOVES = {
    "pause": ("paused", "only an active or waiting enrollment can be paused"),
    "resume": ("resumed", "only a paused enrollment can be resumed"),
    "stop": ("stopped", "it has already ended"),
}


def move_enrollment(request: Request, pk: int, action: str) -> Response:
    enrollment = get_scoped_or_404(enrollments_in(request), request, pk=pk)
    reason, refusal = ENROLLMENT_MOVES[action]
    actor = actor_of(request)
    try:
        with transaction.atomic():
            moved = getattr(enrollment, action)(reason=f"{reason} by {actor}", actor=actor)
    except IllegalEnrollmentTransition as exc:
        return conflict(str(exc))
    if not moved:
        enrollment.refresh_from_db(fields=["state"])
        return conflict(f"enrollment {enrollment.pk} is {enrollment.state}; {refusal}")
    return Response(EnrollmentDetailSerializer(enrollments_in(request).prefetch_related("transitions")
                                               .get(pk=enrollment.pk)).data)


def _enrollment_move_schema(action: str, summary: str) -> Any:
    return extend_schema(parameters=[ID], request=None,
                         responses={200: EnrollmentDetailSerializer, 404: NOT_FOUND,
                                    409: OpenApiResponse(description="Not allowed from its current state.")},
                         summary=summary, operation_id=f"enrollments_{action}", tags=["enrollments"])


@_enrollment_move_schema("pause", "Pause an enrollment (it keeps its place)")
@api_view(["POST"])
def enrollment_pause(request: Request, pk: int) -> Response:
    return move_enrollment(request, pk, "pause")


@_enrollment_move_schema("resume", "Resume a paused enrollment")
@api_view(["POST"])
def enrollment_resume(request: Request, pk: int) -> Response:
    return move_enrollment(request, pk, "resume")


@_enrollment_move_schema("stop", "Take a contact out of its campaign: nothing more is sent")
@api_view(["POST"])
def enrollment_stop(request: Request, pk: int) -> Response:
    return move_enrollment(request, pk, "stop")


# --- contacts and lists ---------------------------------------------------------------------------------------------

def contacts_in(request: Request) -> QuerySet[Contact]:
    return scoped(Contact.objects.prefetch_related("lists"), request)


@extend_schema(methods=["GET"],
               parameters=[OpenApiParameter("list", str, description="A list's slug: its contacts."),
                           OpenApiParameter("q", str, description="Part of the email, name or company."),
                           OpenApiParameter("page", int)],
               responses={200: page_of(ContactSerializer), 400: OpenApiResponse(description="Unknown list.")},
               summary="List contacts", operation_id="contacts_list", tags=["contacts"])
@extend_schema(methods=["POST"], request=ContactSerializer, responses={201: ContactSerializer, 400: FIELD_ERRORS},
               summary="Add a contact", operation_id="contacts_create", tags=["contacts"])
@api_view(["GET", "POST"])
def contact_list(request: Request) -> Response:
    if request.method == "POST":
        form = ContactSerializer(data=request.data, context=context_of(request))
        form.is_valid(raise_exception=True)
        contact = form.save(organization=request.organization, source=f"api by {actor_of(request)}"[:300])
        return Response(ContactSerializer(contact, context=context_of(request)).data, status=status.HTTP_201_CREATED)
    query = {name: request.query_params[name] for name in ("list", "q") if name in request.query_params}
    filters = ContactFilterSerializer(data=query, context=context_of(request))
    filters.is_valid(raise_exception=True)
    queryset = contacts_in(request)
    if "list" in filters.validated_data:
        queryset = queryset.filter(lists=filters.validated_data["list"])
    text = filters.validated_data.get("q", "").strip()
    if text:
        queryset = queryset.filter(Q(email__icontains=text) | Q(first_name__icontains=text)
                                   | Q(last_name__icontains=text) | Q(company__icontains=text))
    return page_response(request, queryset.order_by("id"), ContactSerializer)


@extend_schema(methods=["GET"], parameters=[ID], responses={200: ContactSerializer, 404: NOT_FOUND},
               summary="One contact", operation_id="contacts_retrieve", tags=["contacts"])
@extend_schema(methods=["PATCH"], parameters=[ID], request=ContactSerializer,
               responses={200: ContactSerializer, 400: FIELD_ERRORS, 404: NOT_FOUND},
               summary="Change a contact", operation_id="contacts_partial_update", tags=["contacts"])
@extend_schema(methods=["DELETE"], parameters=[ID], responses={204: None, 404: NOT_FOUND},
               summary="Delete a contact (and its enrollments)", operation_id="contacts_destroy", tags=["contacts"])
@api_view(["GET", "PATCH", "DELETE"])
def contact_detail(request: Request, pk: int) -> Response:
    contact = get_scoped_or_404(contacts_in(request), request, pk=pk)
    if request.method == "DELETE":
        contact.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
    if request.method == "PATCH":
        form = ContactSerializer(contact, data=request.data, partial=True, context=context_of(request))
        form.is_valid(raise_exception=True)
        contact = form.save()
    return Response(ContactSerializer(contact, context=context_of(request)).data)


@extend_schema(methods=["GET"], parameters=[OpenApiParameter("page", int)],
               responses={200: page_of(ContactListSerializer)}, summary="List contact lists",
               operation_id="lists_list", tags=["contacts"])
@extend_schema(methods=["POST"], request=ContactListSerializer, responses={201: ContactListSerializer, 400: FIELD_ERRORS},
               summary="Create a contact list", operation_id="lists_create", tags=["contacts"])
@api_view(["GET", "POST"])
def list_list(request: Request) -> Response:
    if request.method == "POST":
        form = ContactListSerializer(data=request.data, context=context_of(request))
        form.is_valid(raise_exception=True)
        return Response(ContactListSerializer(form.save()).data, status=status.HTTP_201_CREATED)
    queryset = scoped(ContactList.objects.annotate(n_contacts=Count("contacts")), request).order_by("name")
    return page_response(request, queryset, ContactListSerializer)
