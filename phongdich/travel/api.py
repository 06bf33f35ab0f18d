"""Travel API (thin): trips in the user's view with the decision (M7), 3-on-site plans and the workers allowed out
or in per enterprise or industrial park (M8). Lists are cursor pages within the user's scope; reading a trip is
audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.audit import audit
from phongdich.core.models import AuditAction
from phongdich.core.pagination import KeysetPagination
from phongdich.geo.api import UnitBriefSerializer
from phongdich.orgs.api import OrganisationRefSerializer
from phongdich.orgs.models import Organisation
from phongdich.orgs.scope import scope_for

from . import services
from .models import OnSitePlan, PassDirection, Trip, TripStatus, WorkerPass
from .selectors import TripFilters, pass_queryset, plan_queryset, trip_get, trip_queryset


def _choices_help(choices: Any) -> str:
    return ", ".join(str(value) for value, _label in choices)


def _org(request: Request, name: str) -> Organisation | None:
    uid = request.query_params.get(name)
    if not uid:
        return None
    try:
        org = Organisation.objects.filter(uid=uid).first()
    except (ValueError, ValidationError):
        org = None
    if org is None or not scope_for(request.user).contains_organisation(org):
        raise serializers.ValidationError({name: [_("Không tìm thấy cơ quan, đơn vị này trong phạm vi của bạn.")]})
    return org


class TripSerializer(serializers.ModelSerializer[Trip]):
    traveller = serializers.CharField(source="traveller.full_name")
    organisation = OrganisationRefSerializer()
    unit = UnitBriefSerializer(allow_null=True)
    place_name = serializers.CharField()
    status = serializers.CharField(help_text=_choices_help(TripStatus.choices))
    declared = serializers.SerializerMethodField()

    class Meta:
        model = Trip
        fields = [
            "uid",
            "traveller",
            "organisation",
            "kind",
            "unit",
            "country",
            "place_name",
            "depart_at",
            "return_at",
            "purpose",
            "companions",
            "needs_approval",
            "approval_reasons",
            "epidemic_warning",
            "status",
            "decided_at",
            "decision_reason",
            "declared",
        ]
        read_only_fields = fields

    def get_declared(self, trip: Trip) -> bool:
        return trip.declaration_id is not None


class TripDecisionSerializer(serializers.Serializer[Any]):
    approve = serializers.BooleanField()
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class TripListApi(generics.ListAPIView[Trip]):
    serializer_class = TripSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="travel_trips_list",
        parameters=[
            OpenApiParameter("status", str, description=_choices_help(TripStatus.choices)),
            OpenApiParameter("needs_approval", bool),
            OpenApiParameter("organisation", str, description=_("uid của cơ quan, đơn vị (cả đơn vị trực thuộc)")),
            OpenApiParameter("mine", bool, description=_("chỉ chuyến đi của tôi")),
        ],
        summary=_("Chuyến đi ngoài tỉnh của tôi và của cán bộ thuộc quyền"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        status_value = params.get("status", "")
        needs = params.get("needs_approval", "")
        filters = TripFilters(
            status=status_value if status_value in TripStatus.values else "",
            needs_approval={"true": True, "false": False}.get(needs.lower()),
            organisation=_org(self.request, "organisation"),
            mine=params.get("mine", "").lower() == "true",
        )
        return trip_queryset(user=self.request.user, filters=filters)


class TripDetailApi(APIView):
    @extend_schema(operation_id="travel_trip_retrieve", responses=TripSerializer, summary=_("Một chuyến đi"))
    def get(self, request: Request, uid: Any) -> Response:
        trip = trip_get(user=request.user, uid=uid)
        audit(
            actor=request.user,
            action=AuditAction.READ,
            obj=trip,
            summary=gettext("Xem chuyến đi ngoài tỉnh (API)"),
            detail={"person": str(trip.traveller.uid)},
        )
        return Response(TripSerializer(trip).data)

    @extend_schema(
        operation_id="travel_trip_decide",
        request=TripDecisionSerializer,
        responses={200: TripSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Lãnh đạo trực tiếp hoặc cấp trên đồng ý hoặc không đồng ý (kèm lý do)"),
    )
    def post(self, request: Request, uid: Any) -> Response:
        trip = trip_get(user=request.user, uid=uid)
        data = TripDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        trip = services.trip_decide(actor=request.user, trip=trip, **data.validated_data)
        return Response(TripSerializer(trip_get(user=request.user, uid=trip.uid)).data)


class PlanSerializer(serializers.ModelSerializer[OnSitePlan]):
    organisation = OrganisationRefSerializer()

    class Meta:
        model = OnSitePlan
        fields = [
            "uid",
            "organisation",
            "start_date",
            "end_date",
            "capacity",
            "workers_total",
            "workers_on_site",
            "accommodation",
            "note",
        ]
        read_only_fields = fields


class PassSerializer(serializers.ModelSerializer[WorkerPass]):
    organisation = OrganisationRefSerializer()
    person = serializers.CharField(source="person.full_name")
    plan = serializers.UUIDField(source="plan.uid")
    direction = serializers.CharField(help_text=_choices_help(PassDirection.choices))

    class Meta:
        model = WorkerPass
        fields = ["uid", "plan", "organisation", "person", "direction", "from_date", "to_date", "place", "reason"]
        read_only_fields = fields


_WORKFORCE_PARAMS = [
    OpenApiParameter("park", str, description=_("uid của khu công nghiệp")),
    OpenApiParameter("organisation", str, description=_("uid của doanh nghiệp")),
]


class PlanListApi(generics.ListAPIView[OnSitePlan]):
    serializer_class = PlanSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="travel_on_site_plans_list",
        parameters=_WORKFORCE_PARAMS,
        summary=_("Phương án 3 tại chỗ theo doanh nghiệp, khu công nghiệp"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return plan_queryset(
            user=self.request.user, park=_org(self.request, "park"), organisation=_org(self.request, "organisation")
        )


class PassListApi(generics.ListAPIView[WorkerPass]):
    serializer_class = PassSerializer
    pagination_class = KeysetPagination

    @extend_schema(
        operation_id="travel_worker_passes_list",
        parameters=[
            *_WORKFORCE_PARAMS,
            OpenApiParameter("direction", str, description=_choices_help(PassDirection.choices)),
        ],
        summary=_("Người lao động được ra, vào tỉnh theo doanh nghiệp, khu công nghiệp"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        return pass_queryset(
            user=self.request.user,
            park=_org(self.request, "park"),
            organisation=_org(self.request, "organisation"),
            direction=self.request.query_params.get("direction", ""),
        )
