"""Enforcement API (thin): gatherings (list per commune and week, register, the commune's decision, the cap for a
place and day), inspections and what was not inspected, violations (scoped), the regulations catalogue and the
published violations (public).

Lists are cursor pages (``core.pagination.KeysetPagination``) within the user's scope. Choice fields are
strings documented by their values (validated against the model choices).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import KeysetPagination
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for
from phongdich.travel.models import Trip

from . import services
from .models import (
    Gathering,
    GatheringKind,
    GatheringStatus,
    Inspection,
    OffenderKind,
    Regulation,
    Sanction,
    Violation,
    ViolationKind,
)
from .selectors import (
    GatheringFilters,
    cap_for,
    gathering_get,
    gathering_queryset,
    inspection_queryset,
    month_bounds,
    not_inspected,
    published_violations,
    regulation_list,
    today,
    violation_queryset,
)


def _choices_help(choices: Any) -> str:
    return ", ".join(str(value) for value, _label in choices)


def _choice(value: str, choices: Any) -> str:
    if value not in [v for v, _l in choices]:
        raise serializers.ValidationError(
            _("Giá trị không hợp lệ. Chọn một trong: %(values)s") % {"values": _choices_help(choices)}
        )
    return value


def _scoped_unit(request: Request, uid: Any, field: str, *, required: bool = True) -> Unit | None:
    if uid in (None, ""):
        if required:
            raise serializers.ValidationError({field: [_("Trường này là bắt buộc.")]})
        return None
    try:
        unit = Unit.objects.filter(uid=uid).first()
    except (ValueError, ValidationError):
        unit = None
    if unit is None or not scope_for(request.user).contains_unit(unit):
        raise serializers.ValidationError({field: [_("Không tìm thấy địa bàn này trong phạm vi của bạn.")]})
    return unit


# --- Gatherings -------------------------------------------------------------------------------------


class GatheringSerializer(serializers.ModelSerializer[Gathering]):
    kind = serializers.CharField(help_text=_choices_help(GatheringKind.choices))
    status = serializers.CharField(help_text=_choices_help(GatheringStatus.choices))
    unit = UnitBriefSerializer()
    commune = UnitBriefSerializer()

    class Meta:
        model = Gathering
        fields = [
            "uid",
            "kind",
            "title",
            "unit",
            "commune",
            "address",
            "event_date",
            "indoors",
            "expected_attendance",
            "organiser_name",
            "cap",
            "cap_source",
            "cap_uncertain",
            "status",
            "decided_at",
            "decision_reason",
        ]
        read_only_fields = fields


class GatheringInputSerializer(serializers.Serializer[Any]):
    kind = serializers.CharField(help_text=_choices_help(GatheringKind.choices))
    title = serializers.CharField(max_length=200)
    unit = serializers.UUIDField(help_text=_("uid của xã hoặc thôn, xóm"))
    address = serializers.CharField(max_length=255)
    event_date = serializers.DateField()
    indoors = serializers.BooleanField(default=True)
    expected_attendance = serializers.IntegerField(min_value=1, max_value=services.MAX_ATTENDANCE)
    organiser_name = serializers.CharField(max_length=120)
    organiser_phone = serializers.RegexField(r"^0\d{9}$", required=False, allow_blank=True, default="")

    def validate_kind(self, value: str) -> str:
        return _choice(value, GatheringKind.choices)


class GatheringDecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=1000, required=False, allow_blank=True, default="")


class GatheringListApi(generics.ListAPIView[Gathering]):
    serializer_class = GatheringSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="enforcement_gatherings_list",
        parameters=[
            OpenApiParameter("commune", str, description=_("uid của xã")),
            OpenApiParameter("week", str, description=_("một ngày bất kỳ trong tuần (YYYY-MM-DD)")),
            OpenApiParameter("status", str, description=_choices_help(GatheringStatus.choices)),
        ],
        summary=_("Sự kiện tụ tập theo xã và tuần, trong phạm vi"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        week = None
        if params.get("week"):
            week = serializers.DateField().to_internal_value(params["week"])
        status_value = params.get("status", "")
        filters = GatheringFilters(
            commune=_scoped_unit(self.request, params.get("commune"), "commune", required=False),
            week=week,
            status=status_value if status_value in GatheringStatus.values else "",
        )
        return gathering_queryset(user=self.request.user, filters=filters)

    @extend_schema(
        operation_id="enforcement_gatherings_create",
        request=GatheringInputSerializer,
        responses={201: GatheringSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Đăng ký sự kiện; vượt giới hạn thì chờ xã phê duyệt"),
    )
    def post(self, request: Request) -> Response:
        data = GatheringInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["unit"] = _scoped_unit(request, values["unit"], "unit")
        gathering = services.gathering_register(actor=request.user, **values)
        return Response(GatheringSerializer(gathering).data, status=status.HTTP_201_CREATED)


class GatheringDecisionApi(APIView):
    @extend_schema(
        operation_id="enforcement_gathering_decision_create",
        request=GatheringDecisionSerializer,
        responses={200: GatheringSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Xã phê duyệt hoặc không phê duyệt sự kiện vượt giới hạn"),
    )
    def post(self, request: Request, uid: Any) -> Response:
        gathering = gathering_get(user=request.user, uid=uid)
        data = GatheringDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        gathering = services.gathering_decide(actor=request.user, gathering=gathering, **data.validated_data)
        return Response(GatheringSerializer(gathering).data)


class GatheringCapSerializer(serializers.Serializer[Any]):
    cap = serializers.IntegerField(allow_null=True)
    source = serializers.CharField()  # type: ignore[assignment]
    uncertain = serializers.BooleanField()


class GatheringCapApi(APIView):
    @extend_schema(
        operation_id="enforcement_gathering_cap_retrieve",
        parameters=[
            OpenApiParameter("unit", str, required=True, description=_("uid của xã hoặc thôn, xóm")),
            OpenApiParameter("kind", str, required=True, description=_choices_help(GatheringKind.choices)),
            OpenApiParameter("on", str, description=_("ngày (YYYY-MM-DD), mặc định hôm nay")),
            OpenApiParameter("indoors", bool, description=_("trong nhà (mặc định có)")),
        ],
        responses=GatheringCapSerializer,
        summary=_("Giới hạn số người cho một sự kiện tại một nơi, một ngày"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        unit = _scoped_unit(request, params.get("unit"), "unit")
        try:
            kind = _choice(params.get("kind", ""), GatheringKind.choices)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({"kind": exc.detail}) from None
        on = serializers.DateField().to_internal_value(params["on"]) if params.get("on") else today()
        assert unit is not None
        decision = cap_for(unit=unit, kind=kind, on=on, indoors=params.get("indoors", "true") not in ("0", "false"))
        return Response(GatheringCapSerializer(decision).data)


# --- Inspections ------------------------------------------------------------------------------------


class InspectionSerializer(serializers.ModelSerializer[Inspection]):
    inspector_unit = UnitBriefSerializer()
    target_unit = UnitBriefSerializer()
    target = serializers.CharField(source="target_label")
    result = serializers.CharField()
    open_follow_ups = serializers.SerializerMethodField()

    class Meta:
        model = Inspection
        fields = [
            "uid",
            "inspector_unit",
            "target_unit",
            "target",
            "inspected_on",
            "result",
            "findings",
            "open_follow_ups",
        ]
        read_only_fields = fields

    def get_open_follow_ups(self, obj: Inspection) -> int:
        return sum(1 for f in obj.follow_ups.all() if f.closed_on is None)


class InspectionListApi(generics.ListAPIView[Inspection]):
    serializer_class = InspectionSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="enforcement_inspections_list",
        parameters=[OpenApiParameter("inspector", str, description=_("uid của đơn vị kiểm tra"))],
        summary=_("Biên bản kiểm tra trong phạm vi"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        inspector = _scoped_unit(self.request, self.request.query_params.get("inspector"), "inspector", required=False)
        return inspection_queryset(user=self.request.user, inspector=inspector).prefetch_related("follow_ups")


class NotInspectedApi(APIView):
    @extend_schema(
        operation_id="enforcement_not_inspected_list",
        parameters=[
            OpenApiParameter("inspector", str, required=True, description=_("uid của đơn vị kiểm tra")),
            OpenApiParameter("start", str, description=_("từ ngày (mặc định đầu tháng)")),
            OpenApiParameter("end", str, description=_("đến ngày (mặc định cuối tháng)")),
        ],
        responses=UnitBriefSerializer(many=True),
        summary=_("Đơn vị cấp dưới chưa được kiểm tra trong kỳ"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        inspector = _scoped_unit(request, params.get("inspector"), "inspector")
        assert inspector is not None
        month_start, month_end = month_bounds(today())
        start = serializers.DateField().to_internal_value(params["start"]) if params.get("start") else month_start
        end = serializers.DateField().to_internal_value(params["end"]) if params.get("end") else month_end
        if end < start:
            raise serializers.ValidationError({"end": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
        units = not_inspected(inspector=inspector, start=start, end=end)
        return Response(UnitBriefSerializer(units, many=True).data)  # type: ignore[arg-type]


# --- Violations -------------------------------------------------------------------------------------


class RegulationSerializer(serializers.ModelSerializer[Regulation]):
    class Meta:
        model = Regulation
        fields = ["code", "document", "article", "title", "fine_min", "fine_max", "uncertain"]
        read_only_fields = fields


class ViolationSerializer(serializers.ModelSerializer[Violation]):
    offender_kind = serializers.CharField(help_text=_choices_help(OffenderKind.choices))
    kind = serializers.CharField(help_text=_choices_help(ViolationKind.choices))
    sanction = serializers.CharField(help_text=_choices_help(Sanction.choices))
    commune = UnitBriefSerializer()
    regulation = serializers.SlugRelatedField(slug_field="code", read_only=True)  # type: ignore[var-annotated]
    trip = serializers.SlugRelatedField(slug_field="uid", read_only=True)  # type: ignore[var-annotated]

    class Meta:
        model = Violation
        fields = [
            "uid",
            "offender_kind",
            "offender_name",
            "commune",
            "kind",
            "regulation",
            "occurred_on",
            "description",
            "trip",
            "trip_reference",
            "sanction",
            "fine_amount",
            "head_disciplined",
            "decision_number",
            "decision_date",
            "published",
            "name_published",
        ]
        read_only_fields = fields


class ViolationInputSerializer(serializers.Serializer[Any]):
    offender_kind = serializers.CharField(help_text=_choices_help(OffenderKind.choices))
    offender_name = serializers.CharField(max_length=255)
    unit = serializers.UUIDField(help_text=_("uid của xã hoặc thôn, xóm nơi vi phạm"))
    kind = serializers.CharField(help_text=_choices_help(ViolationKind.choices))
    regulation = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("mã quy định"))
    occurred_on = serializers.DateField()
    description = serializers.CharField(required=False, allow_blank=True, default="")
    trip_reference = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
    trip = serializers.UUIDField(required=False, allow_null=True, default=None, help_text=_("uid của chuyến đi"))
    sanction = serializers.CharField(default=Sanction.NONE, help_text=_choices_help(Sanction.choices))
    fine_amount = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1)
    head_disciplined = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    decision_number = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")
    decision_date = serializers.DateField(required=False, allow_null=True, default=None)

    def validate_offender_kind(self, value: str) -> str:
        return _choice(value, OffenderKind.choices)

    def validate_kind(self, value: str) -> str:
        return _choice(value, ViolationKind.choices)

    def validate_sanction(self, value: str) -> str:
        return _choice(value, Sanction.choices)

    def validate_regulation(self, value: str) -> Regulation | None:
        if not value:
            return None
        regulation = regulation_list().filter(code=value).first()
        if regulation is None:
            raise serializers.ValidationError(_("Không có quy định này trong danh mục."))
        return regulation


class ViolationListApi(generics.ListAPIView[Violation]):
    serializer_class = ViolationSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="enforcement_violations_list",
        parameters=[
            OpenApiParameter("kind", str, description=_choices_help(ViolationKind.choices)),
            OpenApiParameter("published", str, description="yes, no"),
        ],
        summary=_("Vụ vi phạm trong phạm vi"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        kind = params.get("kind", "")
        published = params.get("published", "")
        return violation_queryset(
            user=self.request.user,
            kind=kind if kind in ViolationKind.values else "",
            published=published if published in ("yes", "no") else "",
        )

    @extend_schema(
        operation_id="enforcement_violations_create",
        request=ViolationInputSerializer,
        responses={201: ViolationSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi vụ vi phạm của cá nhân hoặc tổ chức"),
    )
    def post(self, request: Request) -> Response:
        data = ViolationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["unit"] = _scoped_unit(request, values["unit"], "unit")
        if values["trip"] is not None:
            trip = Trip.objects.filter(uid=values["trip"]).first()
            if trip is None:
                raise serializers.ValidationError({"trip": [_("Không tìm thấy chuyến đi này trong phạm vi của bạn.")]})
            values["trip"] = trip
        violation = services.violation_record(actor=request.user, **values)
        return Response(ViolationSerializer(violation).data, status=status.HTTP_201_CREATED)


class RegulationListApi(generics.ListAPIView[Regulation]):
    serializer_class = RegulationSerializer
    pagination_class = None

    @extend_schema(operation_id="enforcement_regulations_list", summary=_("Danh mục quy định bị vi phạm"))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return regulation_list()


class PublicViolationSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    occurred_on = serializers.DateField()
    commune = serializers.CharField()
    district = serializers.CharField()
    offender = serializers.CharField()
    offender_kind = serializers.CharField()
    kind = serializers.CharField()
    regulation = serializers.CharField()
    sanction = serializers.CharField()
    fine_amount = serializers.IntegerField(allow_null=True)
    head_disciplined = serializers.CharField()
    decision_number = serializers.CharField()
    decision_date = serializers.DateField(allow_null=True)


class PublicViolationPageSerializer(serializers.Serializer[Any]):
    results = PublicViolationSerializer(many=True)
    next_after = serializers.IntegerField(allow_null=True)


class PublicViolationListApi(APIView):
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    @extend_schema(
        operation_id="enforcement_public_violations_list",
        parameters=[OpenApiParameter("after", int, description=_("trang sau: giá trị next_after của trang trước"))],
        responses=PublicViolationPageSerializer,
        summary=_("Vụ vi phạm đã công khai (không có số định danh, điện thoại, địa chỉ)"),
    )
    def get(self, request: Request) -> Response:
        try:
            after = int(request.query_params["after"]) if request.query_params.get("after") else None
        except ValueError:
            raise serializers.ValidationError({"after": [_("Phải là số nguyên.")]}) from None
        rows, next_after = published_violations(after=after)
        return Response(PublicViolationPageSerializer({"results": rows, "next_after": next_after}).data)
