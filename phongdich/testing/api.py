"""Testing API (read): orders (list, detail — an audited read), samples, pools, results, labs, rules.

Lists are cursor pages (``core.pagination.KeysetPagination``), newest first, within the user's scope.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.geo.api import UnitBriefSerializer

from .models import CT_MAX, Lab, MandatoryTestRule, OrderReason, OrderStatus, Outcome, Pool, Result, Sample, TestOrder
from .selectors import (
    OrderFilters,
    lab_load,
    order_get,
    order_queryset,
    visible_labs,
    visible_pools,
    visible_results,
    visible_samples,
)
from .services import can_work_lab, result_enter


class OrderPersonSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class TestOrderSerializer(serializers.ModelSerializer[TestOrder]):
    person = OrderPersonSerializer()
    residence_unit = UnitBriefSerializer()
    organisation = serializers.CharField(source="organisation.name", default="", allow_null=True)
    overdue = serializers.SerializerMethodField()

    class Meta:
        model = TestOrder
        fields = [
            "uid",
            "person",
            "reason",
            "kind",
            "due_on",
            "status",
            "outcome",
            "overdue",
            "residence_unit",
            "organisation",
            "source_key",
            "resulted_at",
        ]
        read_only_fields = fields

    def get_overdue(self, order: TestOrder) -> bool:
        return order.is_overdue()


class TestSampleSerializer(serializers.ModelSerializer[Sample]):
    order = serializers.UUIDField(source="order.uid")
    lab = serializers.CharField(source="lab.name", default="", allow_null=True)
    pool = serializers.CharField(source="pool.code", default="", allow_null=True)

    class Meta:
        model = Sample
        fields = ["uid", "code", "order", "kind", "taken_at", "sent_at", "lab", "received_at", "pool"]
        read_only_fields = fields


class TestPoolSerializer(serializers.ModelSerializer[Pool]):
    lab = serializers.CharField(source="lab.name")
    samples: Any = serializers.SlugRelatedField(many=True, read_only=True, slug_field="code")

    class Meta:
        model = Pool
        fields = ["uid", "code", "lab", "samples", "created_at"]
        read_only_fields = fields


class TestResultSerializer(serializers.ModelSerializer[Result]):
    sample = serializers.CharField(source="sample.code", default="", allow_null=True)
    pool = serializers.CharField(source="pool.code", default="", allow_null=True)
    lab = serializers.CharField(source="lab.name")
    via_pool = serializers.BooleanField(source="via_pool_id", default=False)

    class Meta:
        model = Result
        fields = ["uid", "sample", "pool", "via_pool", "lab", "kind", "outcome", "ct_value", "resulted_at"]
        read_only_fields = fields


class TestResultInputSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(max_length=40)
    outcome = serializers.ChoiceField(choices=Outcome.choices)
    ct_value = serializers.DecimalField(
        max_digits=4, decimal_places=1, min_value=Decimal(0), max_value=Decimal(CT_MAX), required=False, allow_null=True
    )
    resulted_at = serializers.DateTimeField(required=False)


class TestLabSerializer(serializers.ModelSerializer[Lab]):
    unit = UnitBriefSerializer()
    backlog = serializers.SerializerMethodField()
    used_today_pcr = serializers.SerializerMethodField()
    used_today_rapid = serializers.SerializerMethodField()

    class Meta:
        model = Lab
        fields = [
            "uid",
            "name",
            "unit",
            "capacity_rapid",
            "capacity_pcr",
            "active",
            "backlog",
            "used_today_rapid",
            "used_today_pcr",
        ]
        read_only_fields = fields

    def get_backlog(self, lab: Lab) -> int:
        return lab_load(lab).backlog

    def get_used_today_pcr(self, lab: Lab) -> int:
        return lab_load(lab).used_pcr

    def get_used_today_rapid(self, lab: Lab) -> int:
        return lab_load(lab).used_rapid


class TestRuleSerializer(serializers.ModelSerializer[MandatoryTestRule]):
    class Meta:
        model = MandatoryTestRule
        fields = [
            "uid",
            "trigger",
            "kind",
            "due_within_days",
            "schedule_days",
            "applies_to",
            "effective_from",
            "effective_to",
            "source",
            "uncertain",
            "note",
        ]
        read_only_fields = fields


@extend_schema(
    parameters=[
        OpenApiParameter("reason", str, enum=OrderReason.values),
        OpenApiParameter("status", str, enum=OrderStatus.values),
        OpenApiParameter("overdue", bool),
    ]
)
class OrderListApi(generics.ListAPIView[TestOrder]):
    serializer_class = TestOrderSerializer

    def get_queryset(self) -> Any:
        params = self.request.query_params
        filters = OrderFilters(
            reason=params.get("reason", "") if params.get("reason", "") in OrderReason.values else "",
            status=params.get("status", "") if params.get("status", "") in OrderStatus.values else "",
            overdue=params.get("overdue") in ("1", "true"),
        )
        return order_queryset(user=self.request.user, filters=filters)


class OrderDetailApi(APIView):
    @extend_schema(responses=TestOrderSerializer)
    def get(self, request: Request, uid: Any) -> Response:
        return Response(TestOrderSerializer(order_get(user=request.user, uid=uid)).data)


class SampleListApi(generics.ListAPIView[Sample]):
    serializer_class = TestSampleSerializer

    def get_queryset(self) -> Any:
        return visible_samples(self.request.user).select_related("order", "lab", "pool")


class PoolListApi(generics.ListAPIView[Pool]):
    serializer_class = TestPoolSerializer

    def get_queryset(self) -> Any:
        return visible_pools(self.request.user).select_related("lab").prefetch_related("samples")


class ResultListApi(generics.ListAPIView[Result]):
    serializer_class = TestResultSerializer

    def get_queryset(self) -> Any:
        return visible_results(self.request.user).select_related("sample", "pool", "lab")

    @extend_schema(request=TestResultInputSerializer, responses={201: TestResultSerializer})
    def post(self, request: Request) -> Response:
        """A lab enters the result of a sample or a pool (with the same consequences as on the lab desk)."""
        if not can_work_lab(request.user):
            raise exceptions.PermissionDenied
        data = TestResultInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = result_enter(actor=request.user, **data.validated_data)
        return Response(TestResultSerializer(result).data, status=status.HTTP_201_CREATED)


class LabListApi(generics.ListAPIView[Lab]):
    serializer_class = TestLabSerializer

    def get_queryset(self) -> Any:
        return visible_labs(self.request.user).select_related("unit")


class RuleListApi(generics.ListAPIView[MandatoryTestRule]):
    serializer_class = TestRuleSerializer

    def get_queryset(self) -> Any:
        return MandatoryTestRule.objects.all()
