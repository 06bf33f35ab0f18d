"""Hotlines API (thin): the public hotline directory; teams with who is on duty; tips (scoped list with
filters, operator entry, audited detail, assign, close)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.models import User
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Level, Unit

from .models import (
    DutyShift,
    Hotline,
    RapidResponseTeam,
    TeamMember,
    Tip,
    TipChannel,
    TipEvent,
    TipKind,
    TipOutcome,
    TipStatus,
)
from .selectors import hotlines_with_duty, teams_with_duty, tip_get, tip_get_for_write, tip_page
from .services import assignable_users, tip_assign, tip_close, tip_receive


class ShiftSerializer(serializers.ModelSerializer[DutyShift]):
    class Meta:
        model = DutyShift
        fields = ["full_name", "phone", "start", "end"]


class HotlineSerializer(serializers.ModelSerializer[Hotline]):
    unit = UnitBriefSerializer()

    class Meta:
        model = Hotline
        fields = ["uid", "unit", "name", "number", "hours"]


class MemberSerializer(serializers.ModelSerializer[TeamMember]):
    class Meta:
        model = TeamMember
        fields = ["full_name", "position", "phone"]


class TeamSerializer(serializers.ModelSerializer[RapidResponseTeam]):
    unit = UnitBriefSerializer()
    members = MemberSerializer(many=True)
    on_duty = ShiftSerializer(many=True)

    class Meta:
        model = RapidResponseTeam
        fields = ["uid", "unit", "name", "members", "on_duty"]


class HotlineListApi(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="hotlines_list",
        responses=HotlineSerializer(many=True),
        summary=_("Các đường dây nóng công bố cho người dân"),
    )
    def get(self, request: Request) -> Response:
        rows = [h for h in hotlines_with_duty(user=request.user) if h.is_public]
        return Response(HotlineSerializer(rows, many=True).data)


class TeamListApi(APIView):
    @extend_schema(
        operation_id="hotlines_teams_list",
        responses=TeamSerializer(many=True),
        summary=_("Đội phản ứng nhanh trong địa bàn, với người đang trực"),
    )
    def get(self, request: Request) -> Response:
        return Response(TeamSerializer(teams_with_duty(user=request.user), many=True).data)


class TipSerializer(serializers.ModelSerializer[Tip]):
    commune = UnitBriefSerializer()
    routed_unit = UnitBriefSerializer()
    assignee: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = Tip
        fields = [
            "uid",
            "code",
            "kind",
            "channel",
            "commune",
            "address",
            "happened_at",
            "received_at",
            "routed_unit",
            "assignee",
            "status",
            "outcome",
            "closed_at",
        ]


class TipEventSerializer(serializers.ModelSerializer[TipEvent]):
    actor: serializers.SlugRelatedField[User] = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = TipEvent
        fields = ["at", "actor", "from_status", "to_status", "note"]


class TipDetailSerializer(TipSerializer):
    hamlet = UnitBriefSerializer(allow_null=True)
    events = serializers.SerializerMethodField()

    class Meta(TipSerializer.Meta):
        fields = [
            *TipSerializer.Meta.fields,
            "description",
            "hamlet",
            "reporter_name",
            "reporter_phone",
            "outcome_note",
            "events",
        ]

    @extend_schema_field(TipEventSerializer(many=True))
    def get_events(self, tip: Tip) -> list[dict[str, Any]]:
        return list(TipEventSerializer(tip.events.select_related("actor").order_by("at", "id"), many=True).data)


class TipPageSerializer(serializers.Serializer[Any]):
    next = serializers.URLField(allow_null=True)
    results = TipSerializer(many=True)


class TipInputSerializer(serializers.Serializer[Any]):
    kind = serializers.ChoiceField(choices=TipKind.choices)
    description = serializers.CharField(max_length=2000)
    commune = serializers.CharField(max_length=20, help_text=_("Mã GSO của xã, phường"))
    hamlet = serializers.CharField(max_length=20, required=False, allow_blank=True, help_text=_("Mã thôn, xóm"))
    address = serializers.CharField(max_length=200, required=False, allow_blank=True)
    happened_at = serializers.DateTimeField(required=False, allow_null=True)
    reporter_name = serializers.CharField(max_length=120, required=False, allow_blank=True)
    reporter_phone = serializers.CharField(max_length=20, required=False, allow_blank=True)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        tree = getattr(settings, "ADMIN_TREE", "2021")
        commune = Unit.objects.filter(tree=tree, level=Level.COMMUNE, code=attrs["commune"].strip()).first()
        if commune is None:
            raise serializers.ValidationError({"commune": [_("Không có xã, phường này trong danh mục.")]})
        attrs["commune"] = commune
        hamlet_code = (attrs.get("hamlet") or "").strip()
        attrs["hamlet"] = None
        if hamlet_code:
            hamlet = Unit.objects.filter(tree=tree, level=Level.HAMLET, code=hamlet_code).first()
            if hamlet is None:
                raise serializers.ValidationError({"hamlet": [_("Không có thôn, xóm này trong danh mục.")]})
            attrs["hamlet"] = hamlet
        return attrs


class TipListCreateApi(APIView):
    @extend_schema(
        operation_id="tips_list",
        parameters=[
            OpenApiParameter("status", str, enum=["open", *TipStatus.values], description=_("Trạng thái")),
            OpenApiParameter("kind", str, enum=TipKind.values, description=_("Loại tin báo")),
            OpenApiParameter("channel", str, enum=TipChannel.values, description=_("Kênh tiếp nhận")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=TipPageSerializer,
        summary=_("Tin báo của các đơn vị trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        from phongdich.core.pagination import next_page_url, query_limit

        params = request.query_params
        filters: dict[str, Any] = {}
        for name, allowed in (
            ("status", ["open", *TipStatus.values]),
            ("kind", TipKind.values),
            ("channel", TipChannel.values),
        ):
            value = params.get(name, "").strip()
            if value and value not in allowed:
                raise serializers.ValidationError({name: [_("Giá trị không hợp lệ.")]})
            filters[name] = value
        page = tip_page(user=request.user, after=params.get("after"), limit=query_limit(request), **filters)
        return Response(
            {"next": next_page_url(request, page.next_after), "results": TipSerializer(page.items, many=True).data}
        )

    @extend_schema(
        operation_id="tips_create",
        request=TipInputSerializer,
        responses={201: TipDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Cán bộ trực đường dây nóng nhập một tin báo"),
    )
    def post(self, request: Request) -> Response:
        serializer = TipInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tip = tip_receive(actor=request.user, channel=TipChannel.HOTLINE, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(TipDetailSerializer(tip).data, status=status.HTTP_201_CREATED)


class TipDetailApi(APIView):
    @extend_schema(operation_id="tips_retrieve", responses=TipDetailSerializer, summary=_("Xem tin báo (ghi nhật ký)"))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(TipDetailSerializer(tip_get(user=request.user, uid=uid)).data)


class AssignInputSerializer(serializers.Serializer[Any]):
    assignee = serializers.CharField(max_length=150, help_text=_("Tên đăng nhập của người được giao"))
    note = serializers.CharField(max_length=500, required=False, allow_blank=True)


class TipAssignApi(APIView):
    @extend_schema(
        operation_id="tips_assign",
        request=AssignInputSerializer,
        responses={200: TipDetailSerializer, 400: OpenApiResponse(description=_("Không giao được"))},
        summary=_("Giao tin báo cho cán bộ của đơn vị"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        tip = tip_get_for_write(user=request.user, uid=uid)
        serializer = AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        assignee = assignable_users(tip).filter(username=serializer.validated_data["assignee"]).first()
        if not isinstance(assignee, User):
            raise serializers.ValidationError(
                {"assignee": [_("Người được giao phải là cán bộ của đơn vị chịu trách nhiệm hoặc cấp dưới.")]}
            )
        tip_assign(actor=request.user, tip=tip, assignee=assignee, note=serializer.validated_data.get("note", ""))  # type: ignore[arg-type]
        return Response(TipDetailSerializer(tip).data)


class CloseInputSerializer(serializers.Serializer[Any]):
    outcome = serializers.ChoiceField(choices=TipOutcome.choices)
    note = serializers.CharField(max_length=2000)


class TipCloseApi(APIView):
    @extend_schema(
        operation_id="tips_close",
        request=CloseInputSerializer,
        responses={200: TipDetailSerializer, 400: OpenApiResponse(description=_("Không kết thúc được"))},
        summary=_("Kết thúc tin báo với kết quả xử lý"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        tip = tip_get_for_write(user=request.user, uid=uid)
        serializer = CloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        tip_close(actor=request.user, tip=tip, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(TipDetailSerializer(tip).data)
