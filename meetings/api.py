"""The meetings API (docs/api.md, "Meetings"): the organization's meetings, moving and cancelling one, and the
approval queue of the book-meeting agent's drafts. Thin: validate, call ``meetings.services`` /
``meetings.drafts``, answer their dicts. Scoped to the caller's organization (``tenants.access``).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.pagination import page_of, paginate
from core.strict_types import StrictJSONTypes
from meetings import drafts, services
from meetings.models import DraftStatus, MeetingDraft, MeetingStatus
from tenants.access import get_scoped_or_404

TAGS = ["meetings"]
ID = OpenApiParameter("id", int, OpenApiParameter.PATH)
NOT_FOUND = OpenApiResponse(description="No such meeting or draft in your organization.")


class ContactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    email = serializers.CharField()
    name = serializers.CharField()
    company = serializers.CharField()


class MeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=MeetingStatus.choices)
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    timezone = serializers.CharField(help_text="The prospect's IANA zone.")
    contact = ContactSerializer()
    campaign = serializers.CharField(allow_null=True)
    owner = serializers.CharField()
    sequence = serializers.IntegerField(help_text="The ICS SEQUENCE: +1 on every reschedule and on the cancel.")
    ics_uid = serializers.CharField()
    on_calendar = serializers.BooleanField(help_text="Whether the calendar and invitations are up to date.")


class UpcomingSerializer(serializers.Serializer):
    today = MeetingSerializer(many=True)
    upcoming = MeetingSerializer(many=True)
    booked_per_campaign = serializers.DictField(child=serializers.IntegerField())


class RefusalSerializer(serializers.Serializer):
    detail = serializers.CharField()
    field = serializers.CharField()


class RescheduleRequestSerializer(StrictJSONTypes, serializers.Serializer):
    start = serializers.CharField(max_length=40, help_text="The new start, an ISO 8601 instant with its offset.")
    timezone = serializers.CharField(max_length=64, required=False,
                                     help_text="The prospect's IANA zone (default: the meeting's).")


class DraftSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.ChoiceField(choices=DraftStatus.choices)
    to_address = serializers.CharField()
    subject = serializers.CharField()
    body = serializers.CharField()
    slots = serializers.ListField(child=serializers.CharField())
    reply = serializers.IntegerField(allow_null=True)
    enrollment = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)
    rejection_reason = serializers.CharField(allow_blank=True, help_text="Why it was rejected (empty: not said).")


class RejectRequestSerializer(StrictJSONTypes, serializers.Serializer):
    reason = serializers.CharField(max_length=500, required=False, allow_blank=True,
                                   help_text="Why the draft is rejected, kept with it.")


class ApproveRequestSerializer(StrictJSONTypes, serializers.Serializer):
    body = serializers.CharField(max_length=20000, required=False,
                                 help_text="The edited text to send instead of the draft's.")


def _refused(exc: services.MeetingRefused) -> Response:
    code = exc.status if exc.status in (400, 409, 502, 503) else 409
    return Response(exc.as_dict(), status=code)


@extend_schema(parameters=[OpenApiParameter("page", int)], responses={200: page_of(MeetingSerializer)},
               summary="Meetings, soonest first", operation_id="meetings_list", tags=TAGS)
@api_view(["GET"])
def meeting_list(request: Request) -> Response:
    return paginate(request, services.meetings_of(request.organization).order_by("start", "id"),
                    lambda page: [services.meeting_row(m) for m in page])


@extend_schema(responses={200: UpcomingSerializer}, summary="Today's and upcoming meetings, and meetings booked "
               "per campaign", operation_id="meetings_upcoming", tags=TAGS)
@api_view(["GET"])
def meeting_upcoming(request: Request) -> Response:
    return Response(services.upcoming(request.organization))


@extend_schema(parameters=[ID], request=RescheduleRequestSerializer,
               responses={200: MeetingSerializer, 400: OpenApiResponse(RefusalSerializer, description="A bad "
                          "instant or an unknown time zone."), 404: NOT_FOUND,
                          409: OpenApiResponse(RefusalSerializer, description="The slot is not free, or the "
                                               "meeting is cancelled."),
                          503: OpenApiResponse(RefusalSerializer, description="The calendar cannot be read.")},
               summary="Move a meeting (SEQUENCE + 1, a new invitation to both sides)",
               operation_id="meetings_reschedule", tags=TAGS)
@api_view(["POST"])
def meeting_reschedule(request: Request, pk: int) -> Response:
    meeting = get_scoped_or_404(services.meetings_of(request.organization).select_related("calendar"), request,
                                pk=pk)
    form = RescheduleRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        meeting = services.reschedule(meeting, form.validated_data["start"],
                                      zone_value=form.validated_data.get("timezone"))
    except services.MeetingRefused as exc:
        return _refused(exc)
    return Response(services.meeting_row(meeting))


@extend_schema(parameters=[ID], request=None,
               responses={200: MeetingSerializer, 404: NOT_FOUND,
                          409: OpenApiResponse(RefusalSerializer, description="Already cancelled.")},
               summary="Cancel a meeting (METHOD:CANCEL to both sides)", operation_id="meetings_cancel", tags=TAGS)
@api_view(["POST"])
def meeting_cancel(request: Request, pk: int) -> Response:
    meeting = get_scoped_or_404(services.meetings_of(request.organization), request, pk=pk)
    try:
        meeting = services.cancel(meeting)
    except services.MeetingRefused as exc:
        return _refused(exc)
    return Response(services.meeting_row(meeting))


def _drafts(request: Request):
    return MeetingDraft.objects.filter(organization=request.organization).select_related(
        "reply", "enrollment__contact", "enrollment__campaign", "enrollment__organization")


@extend_schema(parameters=[OpenApiParameter("page", int),
                           OpenApiParameter("status", str, enum=DraftStatus.values,
                                            description="Only drafts in this status.")],
               responses={200: page_of(DraftSerializer), 400: OpenApiResponse(description="An unknown status.")},
               summary="The book-meeting agent's drafts, newest first", operation_id="meetings_drafts_list",
               tags=TAGS)
@api_view(["GET"])
def draft_list(request: Request) -> Response:
    rows = _drafts(request)
    wanted = request.query_params.get("status")
    if wanted is not None:
        if wanted not in DraftStatus.values:
            return Response({"status": [f"one of {', '.join(DraftStatus.values)}"]},
                            status=status.HTTP_400_BAD_REQUEST)
        rows = rows.filter(status=wanted)
    return paginate(request, rows, lambda page: [drafts.draft_row(d) for d in page])


@extend_schema(parameters=[ID], request=ApproveRequestSerializer,
               responses={200: DraftSerializer, 400: OpenApiResponse(RefusalSerializer, description="An empty "
                          "edited text, or the inbox cannot send."), 404: NOT_FOUND,
                          409: OpenApiResponse(RefusalSerializer, description="The draft was rejected, or the "
                                               "recipient is suppressed."),
                          502: OpenApiResponse(RefusalSerializer, description="The mail server refused it.")},
               summary="Approve a draft (optionally edited) and send it", operation_id="meetings_drafts_approve",
               tags=TAGS)
@api_view(["POST"])
def draft_approve(request: Request, pk: int) -> Response:
    draft = get_scoped_or_404(_drafts(request), request, pk=pk)
    form = ApproveRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        draft = drafts.send_draft(draft, user=request.user, body=form.validated_data.get("body"))
    except services.MeetingRefused as exc:
        return _refused(exc)
    return Response(drafts.draft_row(draft))


@extend_schema(parameters=[ID], request=RejectRequestSerializer,
               responses={200: DraftSerializer, 400: OpenApiResponse(description="A reason that is not a string "
                          "or longer than 500 characters."), 404: NOT_FOUND,
                          409: OpenApiResponse(RefusalSerializer, description="Already sent or rejected.")},
               summary="Reject a draft: nothing is sent", operation_id="meetings_drafts_reject", tags=TAGS)
@api_view(["POST"])
def draft_reject(request: Request, pk: int) -> Response:
    draft = get_scoped_or_404(_drafts(request), request, pk=pk)
    form = RejectRequestSerializer(data=request.data)
    form.is_valid(raise_exception=True)
    try:
        draft = drafts.reject_draft(draft, user=request.user, reason=form.validated_data.get("reason", ""))
    except services.MeetingRefused as exc:
        return _refused(exc)
    return Response(drafts.draft_row(draft))
