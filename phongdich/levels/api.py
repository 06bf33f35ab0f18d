"""REST API of the levels app: assessments of the week, a unit's level, the what-if, capacity reports,
publication by the province."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.errors import ValidationFailed
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit

from .models import Assessment, LevelDecision
from .rules import INDICATORS, assess, parse_value, rules_load
from .selectors import assessments_in_scope, level_rows, unit_get
from .services import capacity_report_save, level_publish
from .weeks import parse_week, week_label


class AssessmentSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(read_only=True)
    week = serializers.SerializerMethodField()
    rule_set = serializers.CharField(source="rule_set.code", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "uid",
            "unit",
            "week",
            "week_start",
            "rule_set",
            "level",
            "uncertain",
            "indicators",
            "counts",
            "reasoning",
        ]

    def get_week(self, obj: Assessment) -> str:
        return week_label(obj.week_start)


class DecisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LevelDecision
        fields = ["uid", "level", "computed_level", "is_override", "reason", "published_at", "effective_from"]


class UnitLevelSerializer(serializers.Serializer):
    unit = UnitBriefSerializer()
    level = serializers.IntegerField(allow_null=True)
    decision = DecisionSerializer(allow_null=True)
    pending = DecisionSerializer(allow_null=True)
    assessment = AssessmentSerializer(allow_null=True)


class WhatIfSerializer(serializers.Serializer):
    rules = serializers.ChoiceField(choices=sorted(INDICATORS))
    indicators = serializers.DictField(child=serializers.JSONField())


class WhatIfResultSerializer(serializers.Serializer):
    level = serializers.IntegerField()
    rule_set = serializers.CharField()
    cell = serializers.IntegerField()
    certainty = serializers.CharField()
    uncertain = serializers.BooleanField()
    indicators = serializers.DictField()
    derived = serializers.DictField()
    assumed = serializers.ListField(child=serializers.CharField())
    reasoning = serializers.ListField(child=serializers.CharField())


class CapacityInputSerializer(serializers.Serializer):
    unit = serializers.UUIDField()
    week = serializers.CharField(help_text=_("Tuần ISO, ví dụ 2021-W46"))
    beds = serializers.IntegerField(min_value=0)
    free_beds = serializers.IntegerField(min_value=0)
    icu_beds = serializers.IntegerField(min_value=0)
    mobile_stations = serializers.IntegerField(min_value=0)
    oxygen_adequate = serializers.BooleanField()
    oxygen_cases = serializers.IntegerField(min_value=0)
    note = serializers.CharField(max_length=255, required=False, allow_blank=True)


class PublishInputSerializer(serializers.Serializer):
    level = serializers.IntegerField(min_value=1, max_value=4)
    reason = serializers.CharField(required=False, allow_blank=True)
    effective_from = serializers.DateTimeField(required=False, allow_null=True)


def _field_error(exc: ValidationFailed) -> serializers.ValidationError:
    return serializers.ValidationError({exc.field or "non_field_errors": [str(exc.message)]})


class AssessmentListApi(generics.ListAPIView):
    serializer_class = AssessmentSerializer

    def get_queryset(self) -> Any:
        week = self.request.query_params.get("week")
        level = self.request.query_params.get("unit_level")
        try:
            monday = parse_week(week) if week else None
        except ValidationFailed as exc:
            raise _field_error(exc) from None
        if level not in (None, "", "1", "2", "3"):
            raise serializers.ValidationError({"unit_level": [_("Cấp đơn vị phải là 1, 2 hoặc 3.")]})
        return assessments_in_scope(user=self.request.user, week=monday, level=int(level) if level else None)

    @extend_schema(
        operation_id="level_assessments_list",
        parameters=[
            OpenApiParameter("week", str, description=_("Tuần ISO, ví dụ 2021-W46")),
            OpenApiParameter("unit_level", int, description=_("1 tỉnh, 2 huyện, 3 xã")),
        ],
        summary=_("Đánh giá cấp độ dịch hằng tuần của các đơn vị trong địa bàn"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class UnitLevelApi(APIView):
    @extend_schema(
        operation_id="level_unit_retrieve",
        responses=UnitLevelSerializer,
        summary=_("Cấp độ đang áp dụng của một đơn vị, quyết định chờ áp dụng và đánh giá gần nhất"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        unit: Unit = unit_get(user=request.user, uid=uid)
        latest = Assessment.objects.filter(unit=unit).order_by("-week_start").values_list("week_start", flat=True)
        row = level_rows([unit], week=latest.first())[0]
        payload = {
            "unit": row.unit,
            "level": row.level,
            "decision": row.decision,
            "pending": row.pending,
            "assessment": row.assessment,
        }
        return Response(UnitLevelSerializer(payload).data)

    @extend_schema(
        operation_id="level_unit_publish",
        request=PublishInputSerializer,
        responses={201: DecisionSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Công bố, điều chỉnh cấp độ (quản trị cấp tỉnh); nâng cấp áp dụng sau ít nhất 48 giờ"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        unit = unit_get(user=request.user, uid=uid)
        serializer = PublishInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        decision = level_publish(
            actor=request.user,
            unit=unit,
            level=data["level"],
            reason=data.get("reason") or "",
            effective_from=data.get("effective_from"),
        )
        return Response(DecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class WhatIfApi(APIView):
    @extend_schema(
        operation_id="level_what_if",
        request=WhatIfSerializer,
        responses={200: WhatIfResultSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Thử đánh giá: cấp độ và lập luận cho các chỉ số tự nhập (không lưu)"),
    )
    def post(self, request: Request) -> Response:
        serializer = WhatIfSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["rules"]
        try:
            values = {k: parse_value(code, k, v) for k, v in serializer.validated_data["indicators"].items()}
            result = assess(rules_load(code), values)
        except ValidationFailed as exc:
            raise _field_error(exc) from None
        return Response(result.as_dict())


class CapacityReportApi(APIView):
    @extend_schema(
        operation_id="level_capacity_reports_create",
        request=CapacityInputSerializer,
        responses={201: OpenApiResponse(description=_("Đã lưu")), 400: OpenApiResponse(description=_("Lỗi"))},
        summary=_("Báo cáo năng lực điều trị hằng tuần của một đơn vị"),
    )
    def post(self, request: Request) -> Response:
        serializer = CapacityInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        unit = unit_get(user=request.user, uid=data.pop("unit"))
        try:
            week = parse_week(data.pop("week"))
        except ValidationFailed as exc:
            raise _field_error(exc) from None
        report = capacity_report_save(actor=request.user, unit=unit, week_start=week, **data)
        return Response({"uid": str(report.uid), "unit": unit.code, "week": week_label(week)}, status=201)
