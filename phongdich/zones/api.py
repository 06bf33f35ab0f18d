"""Zones API (thin): epidemic areas (list, declare, edit/end), their flagged people, a person's flags, visits."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit
from phongdich.people.models import Person

from .countries import COUNTRIES
from .forms import unit_by_code
from .models import EpidemicArea, ExposureFlag, PlaceKind, PlaceVisit
from .selectors import FLAG_STATUSES, area_get, area_list, flag_queryset, person_exposures
from .services import AREA_FIELDS, area_declare, area_update, visit_record

# --- Serializers -------------------------------------------------------------------------------


class AreaSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(allow_null=True)
    place_name = serializers.CharField(read_only=True)
    flagged = serializers.IntegerField(
        read_only=True, required=False, help_text=_("Số người đang bị gắn cờ trong địa bàn")
    )

    class Meta:
        model = EpidemicArea
        fields = [
            "uid",
            "kind",
            "country",
            "unit",
            "place_name",
            "start_date",
            "end_date",
            "source_number",
            "source_date",
            "source_issuer",
            "source_text",
            "is_complex",
            "note",
            "flagged",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UnitCodeField(serializers.CharField):
    default_error_messages = {
        "unknown": _(
            "Chưa có đơn vị hành chính mã “{value}”: nạp danh mục của tỉnh bằng lệnh "
            "python manage.py load_units --province <mã tỉnh>."
        )
    }

    def to_internal_value(self, data: Any) -> Any:
        code = super().to_internal_value(data).strip()
        if not code:
            return None
        unit = unit_by_code(code)
        if unit is None:
            self.fail("unknown", value=code)
        return unit


class CountryField(serializers.CharField):
    default_error_messages = {"unknown": _("Không có mã nước “{value}” trong danh mục.")}

    def to_internal_value(self, data: Any) -> str:
        code = super().to_internal_value(data).strip().upper()
        if code and code not in COUNTRIES:
            self.fail("unknown", value=code)
        return code


class AreaCreateSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    country = CountryField(required=False, allow_blank=True, max_length=2, help_text=_("Mã ISO 3166-1 hai chữ cái"))
    unit = UnitCodeField(required=False, allow_blank=True, allow_null=True, help_text=_("Mã GSO của tỉnh, huyện, xã"))
    start_date = serializers.DateField()
    end_date = serializers.DateField(required=False, allow_null=True)
    source_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    source_date = serializers.DateField(required=False, allow_null=True)
    source_issuer = serializers.CharField(required=False, allow_blank=True, max_length=160)
    source_text = serializers.CharField(required=False, allow_blank=True)
    is_complex = serializers.BooleanField(required=False, default=False)
    note = serializers.CharField(required=False, allow_blank=True)


class AreaUpdateSerializer(serializers.Serializer):
    start_date = serializers.DateField(required=False)
    end_date = serializers.DateField(required=False, allow_null=True)
    source_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    source_date = serializers.DateField(required=False, allow_null=True)
    source_issuer = serializers.CharField(required=False, allow_blank=True, max_length=160)
    source_text = serializers.CharField(required=False, allow_blank=True)
    is_complex = serializers.BooleanField(required=False)
    note = serializers.CharField(required=False, allow_blank=True)


class FlagPersonSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    residence_unit = UnitBriefSerializer()


class FlagAreaSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    place_name = serializers.CharField()


class ExposureFlagSerializer(serializers.ModelSerializer):
    person = FlagPersonSerializer()
    area = FlagAreaSerializer()
    is_active = serializers.BooleanField()

    class Meta:
        model = ExposureFlag
        fields = [
            "uid",
            "person",
            "area",
            "source",
            "reason",
            "visit_from",
            "visit_to",
            "flagged_at",
            "cleared_at",
            "is_active",
        ]
        read_only_fields = fields


class PlaceVisitInputSerializer(serializers.Serializer):
    person = serializers.UUIDField()
    kind = serializers.ChoiceField(choices=PlaceKind.choices)
    country = CountryField(required=False, allow_blank=True, max_length=2)
    unit = UnitCodeField(required=False, allow_blank=True, allow_null=True)
    from_date = serializers.DateField()
    to_date = serializers.DateField(required=False, allow_null=True)
    reported_on = serializers.DateField(required=False, allow_null=True)
    source = serializers.CharField(max_length=80, help_text=_("Nguồn dạng “loại:mã”, ví dụ declaration:<uid>"))  # type: ignore[assignment]


class PlaceVisitSerializer(serializers.ModelSerializer):
    person: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    place_name = serializers.CharField()
    active_flags = serializers.SerializerMethodField()

    class Meta:
        model = PlaceVisit
        fields = [
            "uid",
            "person",
            "kind",
            "country",
            "place_name",
            "from_date",
            "to_date",
            "reported_on",
            "source",
            "active_flags",
        ]
        read_only_fields = fields

    def get_active_flags(self, visit: PlaceVisit) -> int:
        return visit.person.exposure_flags.filter(cleared_at__isnull=True).count()


STATUS_PARAM = OpenApiParameter(
    "status", str, enum=list(FLAG_STATUSES), description=_("active (mặc định), cleared hoặc all")
)


def _status(request: Request) -> str:
    value = request.query_params.get("status", "active")
    if value not in FLAG_STATUSES:
        raise serializers.ValidationError({"status": [_("Chỉ nhận active, cleared hoặc all.")]})
    return value


def _unit_param(request: Request) -> Unit | None:
    ref = request.query_params.get("unit", "").strip()
    if not ref:
        return None
    try:
        unit = Unit.objects.filter(uid=uuid.UUID(ref)).first()
    except ValueError:
        unit = Unit.objects.filter(tree=getattr(settings, "ADMIN_TREE", "2021"), code=ref).first()
    if unit is None:
        raise serializers.ValidationError({"unit": [_("Không có đơn vị hành chính “%s”.") % ref]})
    return unit


# --- Views -----------------------------------------------------------------------------------------


class AreaListCreateApi(generics.ListAPIView):
    serializer_class = AreaSerializer

    def get_queryset(self) -> Any:
        value = self.request.query_params.get("status", "all")
        return area_list(user=self.request.user, status=value).order_by("-id")

    @extend_schema(
        operation_id="epidemic_areas_list",
        parameters=[OpenApiParameter("status", str, enum=["active", "ended", "all"], description=_("Lọc vùng dịch"))],
        summary=_("Danh sách vùng dịch, kèm số người bị gắn cờ trong địa bàn"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="epidemic_areas_create",
        request=AreaCreateSerializer,
        responses={201: AreaSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Công bố vùng dịch (quản trị cấp tỉnh, y tế)"),
    )
    def post(self, request: Request) -> Response:
        serializer = AreaCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        area = area_declare(actor=request.user, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(AreaSerializer(area).data, status=status.HTTP_201_CREATED)


class AreaDetailApi(APIView):
    @extend_schema(operation_id="epidemic_areas_retrieve", responses=AreaSerializer, summary=_("Xem vùng dịch"))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(AreaSerializer(area_get(uid=uid)).data)

    @extend_schema(
        operation_id="epidemic_areas_partial_update",
        request=AreaUpdateSerializer,
        responses={200: AreaSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Sửa, kết thúc vùng dịch (gửi end_date); cờ được xét lại"),
    )
    def patch(self, request: Request, uid: uuid.UUID) -> Response:
        area = area_get(uid=uid)
        serializer = AreaUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        fields = {k: v for k, v in serializer.validated_data.items() if k in AREA_FIELDS}
        area = area_update(actor=request.user, area=area, **fields)  # type: ignore[arg-type]
        return Response(AreaSerializer(area).data)


class AreaFlagsApi(generics.ListAPIView):
    serializer_class = ExposureFlagSerializer

    def get_queryset(self) -> Any:
        area = area_get(uid=self.kwargs["uid"])
        return flag_queryset(
            user=self.request.user, area=area, commune=_unit_param(self.request), status=_status(self.request)
        )

    @extend_schema(
        operation_id="epidemic_areas_flags",
        parameters=[
            STATUS_PARAM,
            OpenApiParameter(
                "unit", str, description=_("uid hoặc mã GSO của đơn vị: chỉ người cư trú trong đơn vị này")
            ),
        ],
        summary=_("Người bị gắn cờ vì đã đến vùng dịch (trong địa bàn)"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ExposureFlagListApi(APIView):
    @extend_schema(
        operation_id="exposure_flags_list",
        parameters=[OpenApiParameter("person", uuid.UUID, required=True, description=_("uid của người"))],
        responses=ExposureFlagSerializer(many=True),
        summary=_("Cờ phơi nhiễm của một người (ghi nhật ký)"),
    )
    def get(self, request: Request) -> Response:
        ref = request.query_params.get("person", "").strip()
        if not ref:
            raise serializers.ValidationError({"person": [_("Trường này là bắt buộc.")]})
        try:
            uid = uuid.UUID(ref)
        except ValueError:
            raise Http404 from None
        _person, flags = person_exposures(user=request.user, uid=uid)
        return Response(ExposureFlagSerializer(flags, many=True).data)


class PlaceVisitCreateApi(APIView):
    @extend_schema(
        operation_id="place_visits_create",
        request=PlaceVisitInputSerializer,
        responses={201: PlaceVisitSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi nơi một người đã đến; cờ phơi nhiễm được xét ngay"),
    )
    def post(self, request: Request) -> Response:
        serializer = PlaceVisitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            person = Person.objects.for_user(request.user).get(uid=data.pop("person"))
        except Person.DoesNotExist:
            raise Http404 from None
        visit = visit_record(actor=request.user, person=person, **data)  # type: ignore[arg-type]
        return Response(PlaceVisitSerializer(visit).data, status=status.HTTP_201_CREATED)
