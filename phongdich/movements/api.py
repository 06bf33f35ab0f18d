"""Movements API (thin): list (scoped, keyset paged) and declare arrivals/departures, a movement (audited
read), and the "present now" list."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.people.models import Sex
from phongdich.people.selectors import person_get_for_write
from phongdich.zones.forms import unit_by_code
from phongdich.zones.models import PlaceKind

from .models import DeclaredBy, Direction, LodgingKind, Movement, Transport
from .selectors import Page, movement_get, movement_page, present_now_page, scope_units
from .services import arrival_declare, departure_declare, person_for_declaration


class MovementPersonSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class MovementSerializer(serializers.ModelSerializer[Movement]):
    person = MovementPersonSerializer()
    unit = UnitBriefSerializer()
    commune = UnitBriefSerializer()
    place_unit = UnitBriefSerializer(allow_null=True)
    place_name = serializers.CharField()
    direction = serializers.ChoiceField(choices=Direction.choices)
    transport = serializers.ChoiceField(choices=Transport.choices)
    lodging_kind = serializers.ChoiceField(choices=[("", "—"), *LodgingKind.choices])
    declared_by = serializers.ChoiceField(choices=DeclaredBy.choices)

    class Meta:
        model = Movement
        fields = [
            "uid",
            "person",
            "direction",
            "unit",
            "commune",
            "place_kind",
            "country",
            "place_unit",
            "place_note",
            "place_name",
            "move_date",
            "move_time",
            "transport",
            "vehicle_no",
            "lodging_kind",
            "lodging_address",
            "expected_departure",
            "left_on",
            "declared_by",
        ]
        read_only_fields = fields


class MovementCreateSerializer(serializers.Serializer[Any]):
    direction = serializers.ChoiceField(choices=Direction.choices)
    person = serializers.UUIDField(required=False, allow_null=True, help_text=_("uid của người (trong địa bàn)"))
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    full_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    birth_year = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices, required=False, allow_blank=True, default="")
    unit = serializers.UUIDField(help_text=_("uid của xã, phường hoặc thôn, xóm (trong địa bàn)"))
    move_date = serializers.DateField()
    move_time = serializers.TimeField(required=False, allow_null=True)
    place_kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False, allow_blank=True, default="")
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, default="")
    place_unit_code = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    place_note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    place_from = serializers.DateField(required=False, allow_null=True)
    transport = serializers.ChoiceField(choices=Transport.choices)
    vehicle_no = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    lodging_kind = serializers.ChoiceField(choices=LodgingKind.choices, required=False, allow_blank=True, default="")
    lodging_address = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    expected_days = serializers.IntegerField(min_value=0, max_value=366, required=False, allow_null=True)
    expected_departure = serializers.DateField(required=False, allow_null=True)
    declared_by = serializers.ChoiceField(choices=DeclaredBy.choices, default=DeclaredBy.OFFICIAL)
    declarant_name = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


MovementPageSerializer = inline_serializer(
    name="MovementPage",
    fields={"next": serializers.URLField(allow_null=True), "results": MovementSerializer(many=True)},
)

PAGE_PARAMETERS = [
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
]


def _date(request: Request, name: str) -> Any:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    field = serializers.DateField()
    try:
        return field.to_internal_value(value)
    except serializers.ValidationError:
        raise serializers.ValidationError({name: [_("Ngày không hợp lệ (yyyy-mm-dd).")]}) from None


def _scoped_unit(request: Request, ref: Any, name: str = "unit") -> Any:
    if ref in (None, ""):
        return None
    try:
        key = ref if isinstance(ref, uuid.UUID) else uuid.UUID(str(ref))
    except ValueError:
        key = None
    unit = scope_units(request.user).filter(uid=key).first() if key else None
    if unit is None:
        raise serializers.ValidationError({name: [_("Không tìm thấy địa bàn này trong phạm vi của bạn.")]})
    return unit


def _paged(request: Request, page: Page) -> Response:
    next_url = next_page_url(request, page.next_after)
    return Response({"next": next_url, "results": MovementSerializer(page.items, many=True).data})


class MovementListCreateApi(APIView):
    @extend_schema(
        operation_id="movements_list",
        parameters=[
            OpenApiParameter("direction", str, enum=Direction.values, description=_("Chiều: đến hoặc đi")),
            OpenApiParameter("date_from", str, description=_("Từ ngày (yyyy-mm-dd)")),
            OpenApiParameter("date_to", str, description=_("Đến ngày (yyyy-mm-dd)")),
            OpenApiParameter("unit", str, description=_("uid xã, phường hoặc thôn, xóm")),
            *PAGE_PARAMETERS,
        ],
        responses=MovementPageSerializer,
        summary=_("Khai báo di biến động trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        direction = request.query_params.get("direction", "").strip()
        if direction and direction not in Direction.values:
            raise serializers.ValidationError({"direction": [_("Giá trị không hợp lệ.")]})
        page = movement_page(
            user=request.user,
            direction=direction,
            date_from=_date(request, "date_from"),
            date_to=_date(request, "date_to"),
            unit=_scoped_unit(request, request.query_params.get("unit")),
            after=request.query_params.get("after"),
            limit=query_limit(request),
        )
        return _paged(request, page)

    @extend_schema(
        operation_id="movements_create",
        request=MovementCreateSerializer,
        responses={201: MovementSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Khai báo đến hoặc đi (người có sẵn theo uid/CCCD/số điện thoại, hoặc đăng ký mới)"),
    )
    def post(self, request: Request) -> Response:
        serializer = MovementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = _scoped_unit(request, data.pop("unit"))
        code = data.pop("place_unit_code", "").strip()
        place_unit = None
        if code:
            place_unit = unit_by_code(code)
            if place_unit is None:
                raise serializers.ValidationError({"place_unit_code": [_("Chưa có đơn vị hành chính mã này.")]})
        person_uid = data.pop("person", None)
        who = {k: data.pop(k) for k in ("cccd", "phone", "full_name", "birth_year", "sex") if k in data}
        direction = data.pop("direction")
        try:
            with transaction.atomic():
                if person_uid is not None:
                    try:
                        person = person_get_for_write(user=request.user, uid=person_uid)
                    except Http404:
                        raise serializers.ValidationError(
                            {"person": [_("Không tìm thấy người này trong địa bàn.")]}
                        ) from None
                elif direction == Direction.ARRIVAL:
                    person = person_for_declaration(
                        actor=request.user, unit=unit, address=data.get("lodging_address", ""), **who
                    )
                else:
                    raise serializers.ValidationError({"person": [_("Nhập uid của người đi.")]})
                if direction == Direction.ARRIVAL:
                    movement = arrival_declare(
                        actor=request.user, person=person, unit=unit, place_unit=place_unit, **data
                    )
                else:
                    for key in ("place_from", "lodging_kind", "lodging_address", "expected_days", "expected_departure"):
                        data.pop(key, None)
                    movement = departure_declare(
                        actor=request.user, person=person, unit=unit, place_unit=place_unit, **data
                    )
        except PermissionDenied as exc:
            raise serializers.ValidationError({"unit": [str(exc) or _("Ngoài địa bàn của bạn.")]}) from None
        return Response(MovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class MovementDetailApi(APIView):
    @extend_schema(
        operation_id="movements_retrieve",
        responses=MovementSerializer,
        summary=_("Xem một khai báo di biến động (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(MovementSerializer(movement_get(user=request.user, uid=uid)).data)


class PresentNowApi(APIView):
    @extend_schema(
        operation_id="movements_present_list",
        parameters=[OpenApiParameter("unit", str, description=_("uid xã, phường hoặc thôn, xóm")), *PAGE_PARAMETERS],
        responses=MovementPageSerializer,
        summary=_("Người đến đang có mặt trong địa bàn (chưa khai báo đi)"),
    )
    def get(self, request: Request) -> Response:
        page = present_now_page(
            user=request.user,
            unit=_scoped_unit(request, request.query_params.get("unit")),
            after=request.query_params.get("after"),
            limit=query_limit(request),
        )
        return _paged(request, page)
