"""Exposure API (thin, C4): a case's candidates, a run on demand, bulk confirm as F1 and dismiss."""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.cases.models import Case
from phongdich.cases.selectors import case_get_for_write
from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.pagination import next_page_url, query_limit

from .models import CandidateStatus, ExposureCandidate
from .selectors import MAX_PAGE_SIZE, PAGE_SIZE, candidate_list
from .services import MAX_BATCH, exposures_confirm, exposures_dismiss, exposures_refresh


class CandidatePersonSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class CandidatePremisesSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    name = serializers.CharField()
    kind = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")


class CandidateSerializer(serializers.ModelSerializer):
    person = CandidatePersonSerializer()
    premises = CandidatePremisesSerializer()
    contact = serializers.UUIDField(source="contact.uid", default=None, allow_null=True)

    class Meta:
        model = ExposureCandidate
        fields = [
            "uid",
            "person",
            "premises",
            "first_overlap_start",
            "overlap_end",
            "overlap_minutes",
            "status",
            "decided_at",
            "contact",
        ]
        read_only_fields = fields


class DecisionRequestSerializer(serializers.Serializer):
    candidates = serializers.ListField(
        child=serializers.CharField(max_length=64),
        allow_empty=True,
        max_length=MAX_BATCH,
        help_text=_("uid của những người có thể tiếp xúc (tối đa 1.000)"),
    )


DecisionSerializer = inline_serializer(
    name="ExposureDecision",
    fields={"count": serializers.IntegerField(), "contacts": serializers.ListField(child=serializers.UUIDField())},
)

RefreshSerializer = inline_serializer(
    name="ExposureRefresh",
    fields={
        "created": serializers.IntegerField(),
        "updated": serializers.IntegerField(),
        "removed": serializers.IntegerField(),
        "decided": serializers.IntegerField(),
    },
)

ERRORS = OpenApiResponse(
    description=_(
        "Không lưu gì: thông báo chung trong “candidates” và lỗi của từng mục trong “errors” (uid → thông báo)"
    )
)


def _case(request: Request, uid: uuid.UUID) -> Case:
    return case_get_for_write(user=request.user, uid=uid)


class CaseExposuresApi(APIView):
    @extend_schema(
        operation_id="case_exposures_list",
        parameters=[
            OpenApiParameter(
                "status", str, enum=CandidateStatus.values, description=_("Tình trạng (bỏ trống: tất cả)")
            ),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=inline_serializer(
            name="ExposureCandidatePage",
            fields={"next": serializers.URLField(allow_null=True), "results": CandidateSerializer(many=True)},
        ),
        summary=_("Người có thể tiếp xúc với ca bệnh theo lượt quét mã QR (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        case = _case(request, uid)
        status = request.query_params.get("status", "").strip()
        if status and status not in CandidateStatus.values:
            raise serializers.ValidationError({"status": [_("Giá trị không hợp lệ.")]})
        limit = query_limit(request, PAGE_SIZE)
        page = candidate_list(
            case=case, status=status, after=request.query_params.get("after"), limit=min(limit, MAX_PAGE_SIZE)
        )
        audit(
            actor=request.user,
            action=AuditAction.READ,
            obj=case,
            summary=f"{case.case_code}: người có thể tiếp xúc (quét mã, API)",
            detail={"status": status, "rows": len(page.items)},
        )
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": CandidateSerializer(page.items, many=True).data})


class CaseExposuresRunApi(APIView):
    @extend_schema(
        operation_id="case_exposures_run",
        request=None,
        responses=RefreshSerializer,
        summary=_("Đối chiếu lại lượt quét mã QR của ca bệnh ngay"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        result = exposures_refresh(actor=request.user, case=_case(request, uid))
        return Response(
            {"created": result.created, "updated": result.updated, "removed": result.removed, "decided": result.decided}
        )


def _decide(request: Request, uid: uuid.UUID, fn: Any) -> Response:
    case = _case(request, uid)
    serializer = DecisionRequestSerializer(data=request.data)
    serializer.is_valid(raise_exception=True)
    decision = fn(actor=request.user, case=case, candidate_uids=serializer.validated_data["candidates"])
    return Response({"count": len(decision.candidates), "contacts": [c.uid for c in decision.contacts]})


class CaseExposuresConfirmApi(APIView):
    @extend_schema(
        operation_id="case_exposures_confirm",
        request=DecisionRequestSerializer,
        responses={200: DecisionSerializer, 400: ERRORS},
        summary=_("Xác nhận nhiều người là F1 của ca bệnh (tất cả hoặc không gì cả)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        return _decide(request, uid, exposures_confirm)


class CaseExposuresDismissApi(APIView):
    @extend_schema(
        operation_id="case_exposures_dismiss",
        request=DecisionRequestSerializer,
        responses={200: DecisionSerializer, 400: ERRORS},
        summary=_("Loại nhiều người khỏi danh sách có thể tiếp xúc (tất cả hoặc không gì cả)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        return _decide(request, uid, exposures_dismiss)
