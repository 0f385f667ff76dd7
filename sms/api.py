"""The sender numbers' API: ``GET /api/sms/numbers`` (a page of the organization's numbers) and ``POST`` (add one).

A number must be E.164 (400 otherwise, with the reason); a US long code without ``a2p_campaign_id`` is stored as
``unregistered`` and refuses to send until its A2P 10DLC campaign id is added.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.decorators import api_view
from rest_framework.request import Request
from rest_framework.response import Response

from core.pagination import page_of, paginate
from core.strict_types import StrictJSONTypes
from sms.models import MESSAGING_SERVICE_SID, SenderNumber
from sms.numbers import e164_problem
from tenants.access import scoped


class SenderNumberSerializer(StrictJSONTypes, serializers.ModelSerializer):
    """A number texts leave from: its registration, status, cap and rate."""

    phone_number = serializers.CharField(max_length=16, help_text="E.164, e.g. +14155550123.")
    messaging_service_sid = serializers.CharField(max_length=34, required=False, allow_blank=True,
                                                  validators=[MESSAGING_SERVICE_SID])
    a2p_campaign_id = serializers.CharField(max_length=64, required=False, allow_blank=True,
                                            help_text="The A2P 10DLC campaign id; required for a US long code "
                                                      "to send.")
    daily_cap = serializers.IntegerField(min_value=1, max_value=100_000, required=False)
    per_second = serializers.IntegerField(min_value=1, max_value=100, required=False)
    status = serializers.CharField(read_only=True, help_text="active, paused or unregistered.")
    send_refusal = serializers.SerializerMethodField(help_text="Why it cannot send now; null when it can.")

    class Meta:
        model = SenderNumber
        fields = ["id", "phone_number", "messaging_service_sid", "a2p_campaign_id", "status", "send_refusal",
                  "daily_cap", "per_second", "created_at"]
        read_only_fields = ["id", "status", "created_at"]

    def get_send_refusal(self, number: SenderNumber) -> str | None:
        return number.refusal()

    def validate_phone_number(self, value: str) -> str:
        problem = e164_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        if SenderNumber.objects.filter(phone_number=value).exists():
            raise serializers.ValidationError(f"{value} is already a sender number")
        return value

    def create(self, validated_data: dict) -> SenderNumber:
        try:
            with transaction.atomic():
                return SenderNumber.objects.create(organization=self.context["organization"], **validated_data)
        except IntegrityError as exc:  # two requests for one number at once: the second is told, as above
            raise serializers.ValidationError(
                {"phone_number": [f"{validated_data['phone_number']} is already a sender number"]}) from exc


@extend_schema(methods=["GET"], responses={200: page_of(SenderNumberSerializer)}, summary="List SMS sender numbers",
               operation_id="sms_numbers_list", tags=["sms"])
@extend_schema(methods=["POST"], request=SenderNumberSerializer,
               responses={201: SenderNumberSerializer,
                          400: OpenApiResponse(description="Field errors, e.g. a phone number that is not E.164.")},
               summary="Add an SMS sender number", operation_id="sms_numbers_create", tags=["sms"])
@api_view(["GET", "POST"])
def sender_numbers(request: Request) -> Response:
    if request.method == "GET":
        return paginate(request, scoped(SenderNumber.objects.all(), request).order_by("phone_number"),
                        lambda page: SenderNumberSerializer(page, many=True).data)
    form = SenderNumberSerializer(data=request.data, context={"organization": request.organization})
    form.is_valid(raise_exception=True)
    return Response(SenderNumberSerializer(form.save()).data, status=status.HTTP_201_CREATED)
