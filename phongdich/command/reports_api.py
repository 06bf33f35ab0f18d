"""Reports API (thin, under /api/v1/command/reports/): the report forms, the roll-up of a day with who is
late and missing, who has not submitted today, submitting or correcting a report, and one report with its
history (R1, R2)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction

from . import reports_selectors as rs
from .models import Report, ReportField, ReportForm, ReportVersion
from .reports_services import report_submit


class ReportFieldSerializer(serializers.ModelSerializer[ReportField]):
    kind = serializers.CharField(help_text=_("number hoặc text"))

    class Meta:
        model = ReportField
        fields = ["key", "label", "kind", "source", "required"]


class ReportFormSerializer(serializers.ModelSerializer[ReportForm]):
    fields = ReportFieldSerializer(many=True, read_only=True)  # type: ignore[assignment]
    period = serializers.CharField(help_text=_("daily hoặc one_off"))

    class Meta:
        model = ReportForm
        fields = [
            "uid",
            "code",
            "name",
            "period",
            "deadline_time",
            "due_at",
            "recipient_label",
            "allow_attachments",
            "fields",
        ]


class SubmitterSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField(help_text=_("unit hoặc organisation"))


class StatusRowSerializer(serializers.Serializer[Any]):
    submitter = SubmitterSerializer()
    status = serializers.CharField(help_text=_("on_time, late, overdue, pending"))
    deadline = serializers.DateTimeField()
    report = serializers.SerializerMethodField()

    def get_report(self, row: rs.StatusRow) -> str | None:
        return str(row.report.uid) if row.report is not None else None


class RollupSerializer(serializers.Serializer[Any]):
    form = serializers.UUIDField(source="form.uid")
    day = serializers.DateField()
    deadline = serializers.DateTimeField()
    totals = serializers.DictField(child=serializers.IntegerField())
    expected = serializers.IntegerField()
    late = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    rows = StatusRowSerializer(many=True)

    def get_late(self, roll: rs.Rollup) -> list[str]:
        return [r.submitter.name for r in roll.late]

    def get_missing(self, roll: rs.Rollup) -> list[str]:
        return [r.submitter.name for r in roll.missing]


class ReportVersionSerializer(serializers.ModelSerializer[ReportVersion]):
    recorded_by = serializers.CharField(source="recorded_by.username", default="", read_only=True)

    class Meta:
        model = ReportVersion
        fields = ["version", "values", "changes", "note", "recorded_at", "recorded_by"]


class ReportSerializer(serializers.ModelSerializer[Report]):
    form = serializers.UUIDField(source="form.uid", read_only=True)
    submitter = serializers.CharField(source="submitter_name", read_only=True)
    versions = ReportVersionSerializer(many=True, read_only=True)

    class Meta:
        model = Report
        fields = [
            "uid",
            "form",
            "day",
            "submitter",
            "values",
            "system_figures",
            "version",
            "first_submitted_at",
            "submitted_at",
            "late",
            "versions",
        ]


class SubmitInputSerializer(serializers.Serializer[Any]):
    submitter = serializers.UUIDField(help_text=_("uid của đơn vị hành chính hoặc cơ quan nộp"))
    day = serializers.DateField(required=False, help_text=_("Ngày báo cáo (mặc định hôm nay)"))
    values = serializers.DictField(help_text=_("Số liệu theo mã trường"))
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)


class ReportFormListApi(APIView):
    @extend_schema(
        operation_id="command_report_forms_list",
        responses=ReportFormSerializer(many=True),
        summary=_("Các mẫu báo cáo (hằng ngày, đột xuất)"),
    )
    def get(self, request: Request) -> Response:
        forms = rs.forms_visible(request.user).prefetch_related("fields").order_by("period", "-active_from", "pk")[:200]
        return Response(ReportFormSerializer(forms, many=True).data)


class RollupApi(APIView):
    @extend_schema(
        operation_id="command_report_rollup",
        parameters=[OpenApiParameter("day", date, description=_("Ngày (mặc định hôm nay)"))],
        responses=RollupSerializer,
        summary=_("Tổng hợp báo cáo một ngày: tổng số liệu, đơn vị nộp muộn, chưa nộp"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        form = rs.form_get(user=request.user, uid=uid)
        raw = request.query_params.get("day", "")
        try:
            day = date.fromisoformat(raw) if raw else rs.report_day_of(form)
        except ValueError:
            raise serializers.ValidationError({"day": [_("Ngày không hợp lệ (YYYY-MM-DD).")]}) from None
        roll = rs.rollup(form, day, user=request.user)
        audit(actor=request.user, action=AuditAction.READ, obj=form, summary=str(_("Xem tổng hợp báo cáo qua API")))
        return Response(RollupSerializer(roll).data)


class LateTodayApi(APIView):
    @extend_schema(
        operation_id="command_reports_late_today",
        responses=StatusRowSerializer(many=True),
        summary=_("Đơn vị, cơ quan chưa nộp báo cáo hằng ngày hôm nay"),
    )
    def get(self, request: Request) -> Response:
        return Response(StatusRowSerializer(rs.late_today(request.user), many=True).data)


class SubmitApi(APIView):
    @extend_schema(
        operation_id="command_report_submit",
        request=SubmitInputSerializer,
        responses={201: ReportSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Nộp báo cáo, hoặc điều chỉnh báo cáo đã nộp (giữ lịch sử)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        form = rs.form_get(user=request.user, uid=uid)
        serializer = SubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        who = rs.submitter_get(user=request.user, form=form, uid=str(data["submitter"]))
        report = report_submit(
            actor=request.user,  # type: ignore[arg-type]
            form=form,
            submitter=who,
            values={str(k): v for k, v in data["values"].items()},
            day=data.get("day") or rs.report_day_of(form, timezone.now()),
            note=data.get("note", ""),
        )
        return Response(ReportSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportDetailApi(APIView):
    @extend_schema(
        operation_id="command_report_retrieve",
        responses=ReportSerializer,
        summary=_("Một báo cáo với lịch sử các phiên bản"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        report = rs.report_get(user=request.user, uid=uid)
        audit(actor=request.user, action=AuditAction.READ, obj=report, summary=str(_("Xem báo cáo qua API")))
        return Response(ReportSerializer(report).data)
