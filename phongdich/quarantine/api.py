"""Quarantine API (thin): facilities (list/create), open episodes (list/start), an episode (audited), release,
acknowledge."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.people.selectors import person_get_for_write

from .forms import facility_units
from .models import VACCINATION_CHOICES, DailyCheck, Episode, EpisodeKind, Facility, FacilityKind, Handover
from .selectors import (
    episode_checks,
    episode_get,
    episode_get_for_write,
    episode_handover,
    facility_get,
    facility_list,
    handover_get_for_write,
    open_episode_list,
    visible_facilities,
)
from .services import episode_release, episode_start, facility_create, handover_acknowledge


class FacilitySerializer(serializers.ModelSerializer[Facility]):
    unit = UnitBriefSerializer()
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    operator = serializers.CharField(source="operator.name", default="", allow_null=True)
    occupancy = serializers.IntegerField()

    class Meta:
        model = Facility
        fields = ["uid", "name", "kind", "unit", "operator", "capacity", "occupancy", "ready", "readiness_note"]
        read_only_fields = fields


class FacilityCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=255)
    kind = serializers.ChoiceField(choices=FacilityKind.choices)
    unit = serializers.UUIDField()
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    ready = serializers.BooleanField(default=True)
    readiness_note = serializers.CharField(max_length=255, required=False, default="", allow_blank=True)


class EpisodePersonSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class HandoverSerializer(serializers.ModelSerializer[Handover]):
    from_facility = serializers.CharField(source="from_facility.name")
    to_unit = UnitBriefSerializer()
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = ["uid", "from_facility", "to_unit", "sent_at", "acknowledged_at", "overdue"]
        read_only_fields = fields

    def get_overdue(self, handover: Handover) -> bool:
        return handover.is_overdue()


class EpisodeSerializer(serializers.ModelSerializer[Episode]):
    person = EpisodePersonSerializer()
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    facility: serializers.SlugRelatedField[Facility] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    test_dates = serializers.ListField(child=serializers.DateField())
    rule = serializers.CharField(source="rule.source", default="", allow_null=True)

    class Meta:
        model = Episode
        fields = [
            "uid",
            "person",
            "kind",
            "facility",
            "start_date",
            "planned_end",
            "test_dates",
            "released_on",
            "status",
            "vaccination",
            "reason",
            "rule",
        ]
        read_only_fields = fields


class DailyCheckSerializer(serializers.ModelSerializer[DailyCheck]):
    class Meta:
        model = DailyCheck
        fields = ["date", "temperature", *DailyCheck.SYMPTOMS, "note"]
        read_only_fields = fields


class EpisodeDetailSerializer(EpisodeSerializer):
    checks = serializers.SerializerMethodField()
    handover = serializers.SerializerMethodField()

    class Meta(EpisodeSerializer.Meta):
        fields = [*EpisodeSerializer.Meta.fields, "checks", "handover"]
        read_only_fields = fields

    @extend_schema_field(DailyCheckSerializer(many=True))
    def get_checks(self, episode: Episode) -> list[dict[str, Any]]:
        return DailyCheckSerializer(episode_checks(episode=episode), many=True).data  # type: ignore[return-value]

    @extend_schema_field(HandoverSerializer(allow_null=True))
    def get_handover(self, episode: Episode) -> dict[str, Any] | None:
        handover = episode_handover(episode=episode)
        return None if handover is None else HandoverSerializer(handover).data


class EpisodeStartSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField(help_text=_("uid của người cách ly (trong địa bàn)"))
    kind = serializers.ChoiceField(choices=EpisodeKind.choices)
    facility = serializers.UUIDField(required=False, allow_null=True, help_text=_("uid cơ sở (cách ly tập trung)"))
    start_date = serializers.DateField()
    vaccination = serializers.ChoiceField(choices=VACCINATION_CHOICES, default="none")
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class ReleaseSerializer(serializers.Serializer[Any]):
    on = serializers.DateField()
    next_kind = serializers.ChoiceField(choices=EpisodeKind.choices, required=False, allow_null=True, default=None)


EpisodePageSerializer = inline_serializer(
    name="QuarantineEpisodePage",
    fields={"next": serializers.URLField(allow_null=True), "results": EpisodeSerializer(many=True)},
)
ReleaseResultSerializer = inline_serializer(
    name="QuarantineRelease",
    fields={"released": EpisodeSerializer(), "next_episode": EpisodeSerializer(allow_null=True)},
)


class FacilityListApi(APIView):
    @extend_schema(
        operation_id="quarantine_facilities_list",
        responses=FacilitySerializer(many=True),
        summary=_("Cơ sở cách ly trong địa bàn: sức chứa, số người đang cách ly, mức sẵn sàng"),
    )
    def get(self, request: Request) -> Response:
        return Response(FacilitySerializer(facility_list(user=request.user), many=True).data)

    @extend_schema(
        operation_id="quarantine_facilities_create",
        request=FacilityCreateSerializer,
        responses={201: FacilitySerializer, 400: OpenApiResponse(description=_("Dữ liệu không hợp lệ"))},
        summary=_("Thêm cơ sở cách ly trong địa bàn (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = FacilityCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        unit = facility_units(request.user).filter(uid=fields.pop("unit")).first()
        if unit is None:
            raise serializers.ValidationError({"unit": [_("Không tìm thấy địa bàn này trong phạm vi của bạn.")]})
        facility = facility_create(actor=request.user, unit=unit, **fields)
        return Response(FacilitySerializer(facility_get(user=request.user, uid=facility.uid)).data, status=201)


class EpisodeListCreateApi(APIView):
    @extend_schema(
        operation_id="quarantine_episodes_list",
        parameters=[
            OpenApiParameter("kind", str, enum=EpisodeKind.values, description=_("Hình thức")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=EpisodePageSerializer,
        summary=_("Những người đang cách ly trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        kind = request.query_params.get("kind", "").strip()
        if kind and kind not in EpisodeKind.values:
            raise serializers.ValidationError({"kind": [_("Giá trị không hợp lệ.")]})
        limit = query_limit(request)
        page = open_episode_list(user=request.user, kind=kind, after=request.query_params.get("after"), limit=limit)
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": EpisodeSerializer(page.items, many=True).data})

    @extend_schema(
        operation_id="quarantine_episodes_create",
        request=EpisodeStartSerializer,
        responses={201: EpisodeDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Bắt đầu một đợt cách ly"),
    )
    def post(self, request: Request) -> Response:
        serializer = EpisodeStartSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        try:
            person = person_get_for_write(user=request.user, uid=fields.pop("person"))
        except Http404:
            raise serializers.ValidationError({"person": [_("Không tìm thấy người này trong địa bàn.")]}) from None
        facility_uid = fields.pop("facility", None)
        facility = None
        if facility_uid is not None:
            facility = visible_facilities(request.user).filter(uid=facility_uid).first()
            if facility is None:
                raise serializers.ValidationError({"facility": [_("Không tìm thấy cơ sở cách ly trong địa bàn.")]})
        episode = episode_start(actor=request.user, person=person, facility=facility, **fields)
        return Response(EpisodeDetailSerializer(episode).data, status=status.HTTP_201_CREATED)


class EpisodeDetailApi(APIView):
    @extend_schema(
        operation_id="quarantine_episodes_retrieve",
        responses=EpisodeDetailSerializer,
        summary=_("Xem đợt cách ly (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(EpisodeDetailSerializer(episode_get(user=request.user, uid=uid)).data)


class EpisodeReleaseApi(APIView):
    @extend_schema(
        operation_id="quarantine_episodes_release",
        request=ReleaseSerializer,
        responses={200: ReleaseResultSerializer, 400: OpenApiResponse(description=_("Không kết thúc được"))},
        summary=_("Kết thúc đợt cách ly; giai đoạn tiếp theo (nếu có) bắt đầu cùng ngày"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        episode = episode_get_for_write(user=request.user, uid=uid)
        serializer = ReleaseSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = episode_release(actor=request.user, episode=episode, **serializer.validated_data)
        return Response(
            {
                "released": EpisodeSerializer(episode).data,
                "next_episode": EpisodeSerializer(new).data if new is not None else None,
            }
        )


class HandoverAcknowledgeApi(APIView):
    @extend_schema(
        operation_id="quarantine_handovers_acknowledge",
        request=None,
        responses={200: HandoverSerializer, 400: OpenApiResponse(description=_("Đã xác nhận trước đó"))},
        summary=_("Xã/phường xác nhận tiếp nhận bàn giao"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        handover = handover_get_for_write(user=request.user, uid=uid)
        return Response(HandoverSerializer(handover_acknowledge(actor=request.user, handover=handover)).data)
