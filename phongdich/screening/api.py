"""Screening API (thin): campaigns (list, create), a campaign with its rounds, draw a round, a round's
coverage and positivity per organisation with the people drawn (audited)."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.pagination import next_page_url, query_limit
from phongdich.testing.models import TestKind

from .forms import campaign_organisations
from .models import Campaign, Period, Round, SampleMode
from .selectors import (
    OrgRow,
    campaign_get,
    campaign_page,
    campaign_rounds,
    can_manage_campaign,
    round_get,
    round_report,
)
from .services import campaign_create, round_draw


class ScreeningCampaignSerializer(serializers.ModelSerializer[Campaign]):
    organisations: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(
        slug_field="uid", many=True, read_only=True
    )
    sample_mode = serializers.ChoiceField(choices=SampleMode.choices)
    period = serializers.ChoiceField(choices=Period.choices)
    test_kind = serializers.ChoiceField(choices=TestKind.choices)

    class Meta:
        model = Campaign
        fields = [
            "uid",
            "name",
            "organisations",
            "sample_mode",
            "sample_percent",
            "sample_count",
            "period",
            "test_kind",
            "start_date",
            "end_date",
            "seed",
            "is_active",
            "note",
        ]
        read_only_fields = fields


class ScreeningRoundSerializer(serializers.ModelSerializer[Round]):
    class Meta:
        model = Round
        fields = ["uid", "number", "period_start", "due_on", "seed", "eligible_count", "drawn_count", "created_at"]
        read_only_fields = fields


class ScreeningCampaignDetailSerializer(ScreeningCampaignSerializer):
    rounds = serializers.SerializerMethodField()

    class Meta(ScreeningCampaignSerializer.Meta):
        fields = [*ScreeningCampaignSerializer.Meta.fields, "rounds"]
        read_only_fields = fields

    def get_rounds(self, campaign: Campaign) -> list[dict[str, Any]]:
        return ScreeningRoundSerializer(campaign_rounds(campaign), many=True).data  # type: ignore[return-value]


class ScreeningCampaignCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255)
    organisations = serializers.ListField(child=serializers.UUIDField(), min_length=1)
    sample_mode = serializers.ChoiceField(choices=SampleMode.choices)
    sample_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, required=False, allow_null=True, default=None
    )
    sample_count = serializers.IntegerField(min_value=1, required=False, allow_null=True, default=None)
    period = serializers.ChoiceField(choices=Period.choices)
    test_kind = serializers.ChoiceField(choices=TestKind.choices)
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ScreeningOrgRowSerializer(serializers.Serializer[Any]):
    organisation = serializers.SerializerMethodField()
    eligible = serializers.IntegerField()
    drawn = serializers.IntegerField()
    tested = serializers.IntegerField()
    positive = serializers.IntegerField()
    invalid = serializers.IntegerField()
    coverage = serializers.FloatField(allow_null=True)
    positivity = serializers.FloatField(allow_null=True)

    def get_organisation(self, row: OrgRow) -> dict[str, str] | None:
        if row.organisation is None:
            return None
        return {"uid": str(row.organisation.uid), "name": row.organisation.name}


class ScreeningSelectionSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(source="person.uid")
    full_name = serializers.CharField(source="person.full_name")
    organisation = serializers.UUIDField(source="organisation.uid")
    order = serializers.UUIDField(source="order.uid", allow_null=True, default=None)
    outcome = serializers.CharField(allow_null=True)


RoundReportSerializer = inline_serializer(
    name="ScreeningRoundReport",
    fields={
        "round": ScreeningRoundSerializer(),
        "campaign": serializers.UUIDField(),
        "organisations": ScreeningOrgRowSerializer(many=True),
        "total": ScreeningOrgRowSerializer(),
        "selections": ScreeningSelectionSerializer(many=True),
    },
)
CampaignPageSerializer = inline_serializer(
    name="ScreeningCampaignPage",
    fields={"next": serializers.URLField(allow_null=True), "results": ScreeningCampaignSerializer(many=True)},
)


class CampaignListCreateApi(APIView):
    @extend_schema(
        operation_id="screening_campaigns_list",
        parameters=[
            OpenApiParameter("active", str, enum=["1", "0"], description=_("Đang thực hiện (1) hoặc đã dừng (0)")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=CampaignPageSerializer,
        summary=_("Các đợt sàng lọc ngẫu nhiên trong phạm vi (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        active = request.query_params.get("active", "")
        if active and active not in ("1", "0"):
            raise serializers.ValidationError({"active": [_("Giá trị không hợp lệ.")]})
        page = campaign_page(
            user=request.user, active=active, after=request.query_params.get("after"), limit=query_limit(request)
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "results": ScreeningCampaignSerializer(page.items, many=True).data,
            }
        )

    @extend_schema(
        operation_id="screening_campaigns_create",
        request=ScreeningCampaignCreateSerializer,
        responses={201: ScreeningCampaignDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Tạo đợt sàng lọc ngẫu nhiên (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = ScreeningCampaignCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        uids = fields.pop("organisations")
        orgs = list(campaign_organisations(request.user).filter(uid__in=uids))
        if len(orgs) != len(set(uids)):
            raise serializers.ValidationError(
                {"organisations": [_("Không tìm thấy cơ quan, đơn vị trong phạm vi của bạn.")]}
            )
        campaign = campaign_create(actor=request.user, organisations=orgs, **fields)
        return Response(ScreeningCampaignDetailSerializer(campaign).data, status=status.HTTP_201_CREATED)


class CampaignDetailApi(APIView):
    @extend_schema(
        operation_id="screening_campaigns_retrieve",
        responses=ScreeningCampaignDetailSerializer,
        summary=_("Một đợt sàng lọc và các kỳ đã chọn mẫu"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(ScreeningCampaignDetailSerializer(campaign_get(user=request.user, uid=uid)).data)


class RoundDrawApi(APIView):
    @extend_schema(
        operation_id="screening_rounds_draw",
        request=None,
        responses={201: ScreeningRoundSerializer, 400: OpenApiResponse(description=_("Không chọn mẫu được"))},
        summary=_("Chọn mẫu kỳ hiện tại và tạo phiếu xét nghiệm (ghi nhật ký)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        campaign = campaign_get(user=request.user, uid=uid)
        if not can_manage_campaign(request.user, campaign):
            raise PermissionDenied
        rnd = round_draw(actor=request.user, campaign=campaign)
        return Response(ScreeningRoundSerializer(rnd).data, status=status.HTTP_201_CREATED)


class RoundDetailApi(APIView):
    @extend_schema(
        operation_id="screening_rounds_retrieve",
        responses=RoundReportSerializer,
        summary=_("Một kỳ sàng lọc: độ bao phủ, tỷ lệ dương tính theo đơn vị và danh sách được chọn (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        rnd = round_get(user=request.user, uid=uid)
        report = round_report(user=request.user, rnd=rnd)
        audit(
            actor=request.user,
            action=AuditAction.READ,
            obj=rnd,
            summary=str(_("Xem danh sách kỳ %(number)s của đợt sàng lọc “%(name)s”"))
            % {"number": rnd.number, "name": rnd.campaign.name},
            detail={"people": len(report.selections), "api": True},
        )
        return Response(
            {
                "round": ScreeningRoundSerializer(rnd).data,
                "campaign": str(rnd.campaign.uid),
                "organisations": ScreeningOrgRowSerializer(report.rows, many=True).data,
                "total": ScreeningOrgRowSerializer(report.total).data,
                "selections": ScreeningSelectionSerializer(report.selections, many=True).data,
            }
        )
