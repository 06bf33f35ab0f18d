"""Declarations API (thin): the public filing (throttled, same rules as the form) and an official's read."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from phongdich.core.errors import ValidationFailed
from phongdich.core.middleware import client_ip
from phongdich.geo.api import UnitBriefSerializer
from phongdich.people.validators import normalise_phone
from phongdich.zones.countries import COUNTRIES
from phongdich.zones.forms import unit_by_code
from phongdich.zones.models import PlaceKind

from . import guard
from .models import EXPOSURE_FIELDS, SYMPTOM_FIELDS, Channel, DeclaredVisit, MedicalDeclaration, Vehicle
from .selectors import declaration_get
from .services import MAX_VISITS, declaration_file


def _phone_key(phone: str) -> str:
    try:
        return normalise_phone(phone)
    except ValidationFailed:
        return ""


class DeclarationThrottle(AnonRateThrottle):
    scope = "declarations"

    def get_rate(self) -> str:
        return str(getattr(settings, "DECLARATION_API_RATE", "10/hour"))


class VisitInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2, help_text=_("Mã ISO 3166-1"))
    unit = serializers.CharField(required=False, allow_blank=True, max_length=20, help_text=_("Mã GSO của đơn vị"))
    from_date = serializers.DateField()
    to_date = serializers.DateField()

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["kind"] == PlaceKind.UNIT:
            unit = unit_by_code(attrs.get("unit") or "")
            if unit is None:
                raise serializers.ValidationError({"unit": [_("Không có nơi này trong danh mục. Vui lòng chọn lại.")]})
            attrs["unit"] = unit
            attrs["country"] = ""
        else:
            code = (attrs.get("country") or "").upper()
            if code not in COUNTRIES:
                raise serializers.ValidationError(
                    {"country": [_("Không có nơi này trong danh mục. Vui lòng chọn lại.")]}
                )
            attrs["country"], attrs["unit"] = code, None
        return attrs


class DeclarationInputSerializer(serializers.Serializer):
    full_name = serializers.CharField(max_length=120)
    id_number = serializers.CharField(max_length=20, help_text=_("Số CCCD (12 chữ số) hoặc số hộ chiếu"))
    birth_year = serializers.IntegerField()
    sex = serializers.ChoiceField(choices=[("M", _("Nam")), ("F", _("Nữ"))])
    nationality = serializers.CharField(max_length=2, required=False, default="VN")
    residence_unit = serializers.CharField(max_length=20, help_text=_("Mã GSO của xã, phường nơi ở"))
    address = serializers.CharField(max_length=200)
    phone = serializers.CharField(max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    vehicle = serializers.ChoiceField(choices=Vehicle.choices, required=False, allow_blank=True)
    vehicle_number = serializers.CharField(max_length=20, required=False, allow_blank=True)
    seat = serializers.CharField(max_length=10, required=False, allow_blank=True)
    departure_date = serializers.DateField(required=False, allow_null=True)
    departure_place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    arrival_date = serializers.DateField(required=False, allow_null=True)
    arrival_place = serializers.CharField(max_length=120, required=False, allow_blank=True)
    fever = serializers.BooleanField(required=False, default=False)
    cough = serializers.BooleanField(required=False, default=False)
    breathlessness = serializers.BooleanField(required=False, default=False)
    pneumonia = serializers.BooleanField(required=False, default=False)
    sore_throat = serializers.BooleanField(required=False, default=False)
    fatigue = serializers.BooleanField(required=False, default=False)
    contact_case = serializers.BooleanField(required=False, default=False)
    contact_from_epidemic_country = serializers.BooleanField(required=False, default=False)
    contact_symptomatic = serializers.BooleanField(required=False, default=False)
    visits = serializers.ListField(child=VisitInputSerializer(), required=False, max_length=MAX_VISITS)


class DeclarationFiledSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    code = serializers.CharField(help_text=_("Mã khai báo, dùng để cập nhật tờ khai"))


class DeclaredVisitSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(allow_null=True)
    place_name = serializers.CharField(read_only=True)

    class Meta:
        model = DeclaredVisit
        fields = ["kind", "country", "unit", "place_name", "from_date", "to_date"]
        read_only_fields = fields


class DeclarationSerializer(serializers.ModelSerializer):
    person = serializers.UUIDField(source="person.uid", read_only=True)
    first = serializers.UUIDField(source="root.uid", read_only=True)
    residence_unit = UnitBriefSerializer()
    visits = DeclaredVisitSerializer(many=True, read_only=True)

    class Meta:
        model = MedicalDeclaration
        fields = [
            "uid",
            "person",
            "first",
            "version",
            "superseded_at",
            "declared_at",
            "channel",
            "full_name",
            "id_number",
            "birth_year",
            "sex",
            "nationality",
            "residence_unit",
            "address",
            "phone",
            "email",
            "vehicle",
            "vehicle_number",
            "seat",
            "departure_date",
            "departure_place",
            "arrival_date",
            "arrival_place",
            *SYMPTOM_FIELDS,
            *EXPOSURE_FIELDS,
            "has_symptoms",
            "in_epidemic_area",
            "visits",
        ]
        read_only_fields = fields


class DeclarationCreateApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = [DeclarationThrottle]

    @extend_schema(
        operation_id="declarations_create",
        request=DeclarationInputSerializer,
        responses={201: DeclarationFiledSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Khai báo y tế (công khai, giới hạn số lần)"),
    )
    def post(self, request: Request) -> Response:
        if int(request.META.get("CONTENT_LENGTH") or 0) > guard.max_body():
            return Response(
                {"detail": _("Dữ liệu gửi lên quá lớn (tối đa %(kb)s KB).") % {"kb": guard.max_body() // 1024}},
                status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        ip = client_ip(request._request)
        if guard.ip_blocked(ip):
            return Response(
                {"detail": _("Bạn đã gửi quá nhiều tờ khai từ địa chỉ này. Vui lòng thử lại sau một giờ.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        guard.ip_hit(ip)
        serializer = DeclarationInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        visits = [dict(v) for v in data.pop("visits", [])]
        if guard.phone_blocked(_phone_key(str(data.get("phone", "")))):
            return Response(
                {"phone": [_("Số điện thoại này đã khai quá nhiều lần trong một giờ. Vui lòng thử lại sau.")]},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
            )
        filed = declaration_file(actor=None, channel=Channel.SELF, data=data, visits=visits)
        guard.phone_hit(filed.declaration.phone)
        return Response({"uid": str(filed.declaration.uid), "code": filed.code}, status=status.HTTP_201_CREATED)


class DeclarationDetailApi(APIView):
    @extend_schema(operation_id="declarations_retrieve", responses=DeclarationSerializer, summary=_("Xem tờ khai y tế"))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        declaration = declaration_get(user=request.user, uid=uid)
        return Response(DeclarationSerializer(declaration).data)
