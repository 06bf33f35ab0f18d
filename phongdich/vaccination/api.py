"""Vaccination API (V1, V2): products, lots, sites, doses (scoped cursor list, record, detail — an audited
read), coverage by unit and age band, priority lists with counts, adverse events (list, report, detail —
an audited read). Rules and messages are the services'; a refused dose is a 400 with the field's message."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.people.models import Person

from .models import (
    AdverseEvent,
    AefiOutcome,
    Causality,
    Dose,
    PriorityList,
    Severity,
    VaccinationSite,
    VaccineLot,
    VaccineProduct,
)
from .selectors import (
    DoseFilters,
    EventFilters,
    coverage_report,
    coverage_units,
    dose_get,
    dose_page,
    event_get,
    event_page,
    priority_counts,
)
from .services import dose_record, event_report

# Choice fields are plain strings listed in the help text (no schema enum to collide with other apps').
SEVERITY_HELP = " | ".join(Severity.values)
OUTCOME_HELP = " | ".join(AefiOutcome.values)
CAUSALITY_HELP = " | ".join(Causality.values) + _(" (trống khi chưa có kết luận)")


class VaccineProductSerializer(serializers.ModelSerializer[VaccineProduct]):
    class Meta:
        model = VaccineProduct
        fields = ["uid", "code", "name", "manufacturer", "primary_doses", "min_interval_days", "source", "uncertain"]
        read_only_fields = fields


class VaccineLotSerializer(serializers.ModelSerializer[VaccineLot]):
    product = serializers.CharField(source="product.code")

    class Meta:
        model = VaccineLot
        fields = ["uid", "product", "lot_number", "expiry_date"]
        read_only_fields = fields


class VaccinationSiteSerializer(serializers.ModelSerializer[VaccinationSite]):
    unit = UnitBriefSerializer()

    class Meta:
        model = VaccinationSite
        fields = ["uid", "name", "unit", "active"]
        read_only_fields = fields


class VaccinationDosePersonSerializer(serializers.Serializer[Any]):
    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class VaccinationDoseSerializer(serializers.ModelSerializer[Dose]):
    person = VaccinationDosePersonSerializer()
    product = serializers.CharField(source="product.code")
    lot = serializers.CharField(source="lot.lot_number", default="", allow_null=True)
    site = serializers.CharField(source="site.name", default="", allow_null=True)
    dose_kind = serializers.CharField(source="kind", help_text=_("primary (mũi cơ bản) hoặc booster (mũi nhắc lại)"))

    class Meta:
        model = Dose
        fields = [
            "uid",
            "person",
            "product",
            "lot",
            "dose_number",
            "given_on",
            "site",
            "dose_kind",
            "completes_series",
            "exception_reason",
        ]
        read_only_fields = fields


class VaccinationDoseCreateSerializer(serializers.Serializer[Any]):
    person = serializers.UUIDField()
    product = serializers.SlugField(help_text=_("Mã vắc xin, ví dụ astrazeneca"))
    lot = serializers.CharField(required=False, allow_blank=True, default="", help_text=_("Số lô"))
    given_on = serializers.DateField()
    dose_number = serializers.IntegerField(required=False, allow_null=True, default=None, min_value=1, max_value=9)
    site = serializers.UUIDField(required=False, allow_null=True, default=None)
    exception_reason = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)
    note = serializers.CharField(required=False, allow_blank=True, default="", max_length=255)


DosePageSerializer = inline_serializer(
    name="VaccinationDosePage",
    fields={"next": serializers.URLField(allow_null=True), "results": VaccinationDoseSerializer(many=True)},
)


class ProductListApi(generics.ListAPIView[VaccineProduct]):
    serializer_class = VaccineProductSerializer
    queryset = VaccineProduct.objects.all()


class LotListApi(generics.ListAPIView[VaccineLot]):
    serializer_class = VaccineLotSerializer

    def get_queryset(self) -> Any:
        return VaccineLot.objects.select_related("product")


class SiteListApi(generics.ListAPIView[VaccinationSite]):
    serializer_class = VaccinationSiteSerializer

    def get_queryset(self) -> Any:
        return VaccinationSite.objects.select_related("unit")


class DoseListCreateApi(APIView):
    @extend_schema(
        operation_id="vaccination_doses_list",
        parameters=[
            OpenApiParameter("product", str, description=_("Mã vắc xin")),
            OpenApiParameter("dose_number", int),
            OpenApiParameter("person", str, description=_("Mã định danh của người được tiêm")),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=DosePageSerializer,
        summary=_("Các mũi tiêm trong địa bàn, mới nhất trước (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        number = params.get("dose_number", "")
        if number and not number.isdigit():
            raise serializers.ValidationError({"dose_number": [_("Phải là số nguyên.")]})
        filters = DoseFilters(
            product=params.get("product", ""),
            dose_number=int(number) if number else None,
            person=params.get("person", ""),
        )
        limit = max(1, min(query_limit(request), 200))
        try:
            page = dose_page(user=request.user, filters=filters, after=params.get("after", ""), size=limit)
        except Http404:
            raise serializers.ValidationError({"person": [_("Mã định danh không hợp lệ.")]}) from None
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "results": VaccinationDoseSerializer(page.items, many=True).data,
            }
        )

    @extend_schema(
        operation_id="vaccination_doses_create",
        request=VaccinationDoseCreateSerializer,
        responses={201: VaccinationDoseSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi một mũi tiêm (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = VaccinationDoseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        person = Person.objects.for_user(request.user).active().filter(uid=data["person"]).first()
        if person is None:
            raise serializers.ValidationError({"person": [_("Không tìm thấy người này trong địa bàn.")]})
        product = VaccineProduct.objects.filter(code=data["product"]).first()
        if product is None:
            raise serializers.ValidationError({"product": [_("Không có vắc xin này trong danh mục.")]})
        lot = None
        if data["lot"]:
            lots = VaccineLot.objects.select_related("product").filter(lot_number=data["lot"].strip().upper())
            lot = lots.filter(product=product).first() or lots.first()
            if lot is None:
                raise serializers.ValidationError({"lot": [_("Không có lô này trong danh mục.")]})
        site = None
        if data["site"] is not None:
            site = VaccinationSite.objects.filter(uid=data["site"], active=True).first()
            if site is None:
                raise serializers.ValidationError({"site": [_("Không có điểm tiêm này.")]})
        dose = dose_record(
            actor=request.user,
            person=person,
            product=product,
            lot=lot,
            site=site,
            given_on=data["given_on"],
            dose_number=data["dose_number"],
            exception_reason=data["exception_reason"],
            note=data["note"],
        )
        return Response(VaccinationDoseSerializer(dose).data, status=status.HTTP_201_CREATED)


class DoseDetailApi(APIView):
    @extend_schema(
        operation_id="vaccination_doses_retrieve",
        responses=VaccinationDoseSerializer,
        summary=_("Xem một mũi tiêm (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: Any) -> Response:
        return Response(VaccinationDoseSerializer(dose_get(user=request.user, uid=uid)).data)


class VaccinationCoverageCountsSerializer(serializers.Serializer[Any]):
    population = serializers.IntegerField()
    adults = serializers.IntegerField()
    adults_one_dose = serializers.IntegerField()
    adults_full = serializers.IntegerField()
    elderly = serializers.IntegerField()
    elderly_full = serializers.IntegerField()
    one_dose = serializers.IntegerField()
    full = serializers.IntegerField()
    booster = serializers.IntegerField()
    adults_one_dose_pct = serializers.FloatField(allow_null=True)
    elderly_full_pct = serializers.FloatField(allow_null=True)


class VaccinationCoverageRowSerializer(serializers.Serializer[Any]):
    unit = UnitBriefSerializer(allow_null=True)
    band = serializers.CharField()
    coverage = VaccinationCoverageCountsSerializer()


class VaccinationCoverageSerializer(serializers.Serializer[Any]):
    unit = UnitBriefSerializer()
    on = serializers.DateField()
    elderly_age = serializers.IntegerField()
    total = VaccinationCoverageCountsSerializer()
    children = VaccinationCoverageRowSerializer(many=True)
    bands = VaccinationCoverageRowSerializer(many=True)


class CoverageApi(APIView):
    @extend_schema(
        operation_id="vaccination_coverage",
        parameters=[
            OpenApiParameter("unit", str, description=_("Mã định danh đơn vị (mặc định: đơn vị cao nhất của bạn)")),
            OpenApiParameter("on", str, description=_("Ngày (YYYY-MM-DD), mặc định hôm nay")),
            OpenApiParameter("elderly_age", int, enum=[50, 65]),
        ],
        responses=VaccinationCoverageSerializer,
        summary=_("Độ bao phủ tiêm chủng theo địa bàn cư trú và nhóm tuổi"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        try:
            on = date.fromisoformat(params["on"]) if params.get("on") else timezone.localdate()
        except ValueError:
            raise serializers.ValidationError({"on": [_("Ngày không hợp lệ (YYYY-MM-DD).")]}) from None
        elderly = params.get("elderly_age", "65")
        if elderly not in ("50", "65"):
            raise serializers.ValidationError({"elderly_age": [_("Chỉ nhận 50 hoặc 65.")]})
        unit = None
        if params.get("unit"):
            try:
                unit_uid = uuid.UUID(params["unit"])
            except ValueError:
                raise serializers.ValidationError({"unit": [_("Mã định danh không hợp lệ.")]}) from None
            unit = coverage_units(request.user).filter(uid=unit_uid).first()
            if unit is None:
                raise Http404
        report = coverage_report(user=request.user, on=on, unit=unit, elderly_age=int(elderly))
        return Response(VaccinationCoverageSerializer(report).data)


class VaccinationPriorityGroupCountSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(source="group.code")
    name = serializers.CharField(source="group.name")
    parent_code = serializers.CharField(source="group.parent.code", default="", allow_null=True)
    people = serializers.IntegerField()
    vaccinated = serializers.IntegerField()
    full = serializers.IntegerField()


class VaccinationPriorityListSerializer(serializers.ModelSerializer[PriorityList]):
    groups = serializers.SerializerMethodField()

    class Meta:
        model = PriorityList
        fields = ["uid", "code", "name", "source", "effective_from", "effective_to", "uncertain", "groups"]
        read_only_fields = fields

    @extend_schema_field(VaccinationPriorityGroupCountSerializer(many=True))
    def get_groups(self, obj: PriorityList) -> Any:
        counts = priority_counts(user=self.context["request"].user, priority_list=obj)
        return VaccinationPriorityGroupCountSerializer(counts, many=True).data


class PriorityListApi(generics.ListAPIView[PriorityList]):
    serializer_class = VaccinationPriorityListSerializer
    queryset = PriorityList.objects.all()


class VaccinationAefiSerializer(serializers.ModelSerializer[AdverseEvent]):
    dose = serializers.UUIDField(source="dose.uid")
    person = VaccinationDosePersonSerializer(source="dose.person")
    product = serializers.CharField(source="dose.product.code")
    severity = serializers.CharField(help_text=SEVERITY_HELP)
    outcome = serializers.CharField(help_text=OUTCOME_HELP)
    causality = serializers.CharField(help_text=CAUSALITY_HELP)

    class Meta:
        model = AdverseEvent
        fields = [
            "uid",
            "dose",
            "person",
            "product",
            "onset_at",
            "symptoms",
            "severity",
            "reported_by",
            "reported_at",
            "reported_on",
            "outcome",
            "causality",
            "review_body",
            "review_note",
            "reviewed_on",
        ]
        read_only_fields = fields


class VaccinationAefiCreateSerializer(serializers.Serializer[Any]):
    dose = serializers.UUIDField()
    onset_at = serializers.DateTimeField()
    symptoms = serializers.CharField()
    severity = serializers.CharField(help_text=SEVERITY_HELP)
    reported_by = serializers.CharField(max_length=120)
    reported_at = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    reported_on = serializers.DateField(required=False, allow_null=True, default=None)
    outcome = serializers.CharField(default=AefiOutcome.UNKNOWN, help_text=OUTCOME_HELP)

    def validate_severity(self, value: str) -> str:
        if value not in Severity.values:
            raise serializers.ValidationError(_("Mức độ phản ứng không hợp lệ."))
        return value

    def validate_outcome(self, value: str) -> str:
        if value not in AefiOutcome.values:
            raise serializers.ValidationError(_("Kết quả theo dõi không hợp lệ."))
        return value


AefiPageSerializer = inline_serializer(
    name="VaccinationAefiPage",
    fields={"next": serializers.URLField(allow_null=True), "results": VaccinationAefiSerializer(many=True)},
)


class EventListCreateApi(APIView):
    @extend_schema(
        operation_id="vaccination_adverse_events_list",
        parameters=[
            OpenApiParameter("severity", str, enum=Severity.values),
            OpenApiParameter("outcome", str, enum=AefiOutcome.values),
            OpenApiParameter("causality", str, enum=Causality.values),
            OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
            OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
        ],
        responses=AefiPageSerializer,
        summary=_("Phản ứng sau tiêm trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        params = request.query_params
        values = {k: params.get(k, "") for k in ("severity", "outcome", "causality")}
        allowed = {"severity": Severity.values, "outcome": AefiOutcome.values, "causality": Causality.values}
        for key, value in values.items():
            if value and value not in allowed[key]:
                raise serializers.ValidationError({key: [_("Giá trị không hợp lệ.")]})
        limit = max(1, min(query_limit(request), 200))
        page = event_page(
            user=request.user,
            filters=EventFilters(severity=values["severity"], outcome=values["outcome"], causality=values["causality"]),
            after=params.get("after", ""),
            size=limit,
        )
        return Response(
            {
                "next": next_page_url(request, page.next_after),
                "results": VaccinationAefiSerializer(page.items, many=True).data,
            }
        )

    @extend_schema(
        operation_id="vaccination_adverse_events_create",
        request=VaccinationAefiCreateSerializer,
        responses={201: VaccinationAefiSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Báo cáo một phản ứng sau tiêm (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = VaccinationAefiCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        try:
            dose = dose_get(user=request.user, uid=data.pop("dose"), audited=False)
        except Http404:
            raise serializers.ValidationError({"dose": [_("Không tìm thấy mũi tiêm này trong địa bàn.")]}) from None
        event = event_report(actor=request.user, dose=dose, **data)
        return Response(VaccinationAefiSerializer(event).data, status=status.HTTP_201_CREATED)


class EventDetailApi(APIView):
    @extend_schema(
        operation_id="vaccination_adverse_events_retrieve",
        responses=VaccinationAefiSerializer,
        summary=_("Xem một phản ứng sau tiêm (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: Any) -> Response:
        return Response(VaccinationAefiSerializer(event_get(user=request.user, uid=uid)).data)
