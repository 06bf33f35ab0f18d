"""Cases API (thin): list/register, retrieve (audited), status change, isolation day, statistics
(C1, C2, C5, C6); clusters: list/create, retrieve with growth and projection (audited), edit, assign (C3)."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from typing import Any

from django.db import transaction
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
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit
from phongdich.orgs.api import OrganisationRefSerializer
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.api import PersonBriefSerializer
from phongdich.people.selectors import person_get_for_write

from .growth import Outlook
from .models import Case, CaseStatus, Cluster, ClusterStatus, DetectedIn, ReportedBy
from .selectors import (
    CaseFilters,
    ClusterFilters,
    case_counts,
    case_get,
    case_get_for_write,
    case_history,
    case_list,
    cases_by_codes,
    cluster_cases,
    cluster_get,
    cluster_get_for_write,
    cluster_list,
    cluster_outlook,
    community_status,
    counts_sentence,
    epidemic_curve,
    green_after_days,
    visible_cases,
)
from .services import (
    allowed_transitions,
    case_assign_cluster,
    case_register,
    case_set_isolated_on,
    case_transition,
    cluster_create,
    cluster_update,
)


class StatusChangeSerializer(serializers.Serializer):
    from_status = serializers.CharField()
    to_status = serializers.CharField()
    on_date = serializers.DateField()
    at = serializers.DateTimeField()
    actor = serializers.CharField(source="actor.username", default="", allow_null=True)
    note = serializers.CharField()


class CaseSerializer(serializers.ModelSerializer):
    person = PersonBriefSerializer()
    residence_unit = UnitBriefSerializer()
    facility: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )
    cluster: serializers.SlugRelatedField[Cluster] = serializers.SlugRelatedField(slug_field="uid", read_only=True)

    class Meta:
        model = Case
        fields = [
            "uid",
            "case_code",
            "person",
            "status",
            "onset_date",
            "sampling_date",
            "confirmation_date",
            "confirmed_at",
            "detected_in",
            "facility",
            "acquired_in_facility",
            "residence_unit",
            "source_known",
            "source_note",
            "reported_by",
            "notes",
            "isolated_on",
            "cluster",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class CaseDetailSerializer(CaseSerializer):
    allowed_transitions = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(CaseSerializer.Meta):
        fields = [*CaseSerializer.Meta.fields, "allowed_transitions", "history"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.ChoiceField(choices=CaseStatus.choices)))
    def get_allowed_transitions(self, case: Case) -> list[str]:
        return allowed_transitions(case)

    @extend_schema_field(StatusChangeSerializer(many=True))
    def get_history(self, case: Case) -> list[dict[str, Any]]:
        return StatusChangeSerializer(case_history(case=case), many=True).data  # type: ignore[return-value]


class CaseCreateSerializer(serializers.Serializer):
    person = serializers.UUIDField(help_text=_("uid của người bệnh (trong địa bàn)"))
    status = serializers.ChoiceField(
        choices=CaseStatus.choices, help_text=_("suspected, probable hoặc confirmed (ca mới đăng ký)")
    )
    detected_in = serializers.ChoiceField(choices=DetectedIn.choices)
    reported_by = serializers.ChoiceField(choices=ReportedBy.choices, default=ReportedBy.HEALTH)
    onset_date = serializers.DateField(required=False, allow_null=True)
    sampling_date = serializers.DateField(required=False, allow_null=True)
    confirmation_date = serializers.DateField(required=False, allow_null=True)
    confirmed_at = serializers.DateTimeField(required=False, allow_null=True)
    facility = serializers.SlugRelatedField(
        slug_field="uid", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    acquired_in_facility = serializers.BooleanField(required=False, default=False)
    source_known = serializers.BooleanField(required=False, default=False)
    source_note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")
    isolated_on = serializers.DateField(required=False, allow_null=True)
    cluster = serializers.SlugRelatedField(
        slug_field="uid", queryset=Cluster.objects.all(), required=False, allow_null=True
    )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=CaseStatus.choices)
    on_date = serializers.DateField()
    note = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


CasePageSerializer = inline_serializer(
    name="CasePage",
    fields={"next": serializers.URLField(allow_null=True), "results": CaseSerializer(many=True)},
)
CaseStatsSerializer = inline_serializer(
    name="CaseStats",
    fields={
        "start": serializers.DateTimeField(),
        "end": serializers.DateTimeField(),
        "total": serializers.IntegerField(),
        "sentence": serializers.CharField(),
        "districts": inline_serializer(
            name="CaseCountDistrict",
            fields={"unit": UnitBriefSerializer(), "count": serializers.IntegerField()},
            many=True,
        ),
        "communes": inline_serializer(
            name="CaseCountCommune",
            fields={
                "unit": UnitBriefSerializer(),
                "district": UnitBriefSerializer(allow_null=True),
                "count": serializers.IntegerField(),
            },
            many=True,
        ),
        "green_after_days": serializers.IntegerField(),
        "days_since_last_community_case": inline_serializer(
            name="CaseCommunityStatus",
            fields={
                "unit": UnitBriefSerializer(),
                "last_case": serializers.DateField(allow_null=True),
                "days": serializers.IntegerField(allow_null=True),
                "green": serializers.BooleanField(),
            },
            many=True,
        ),
        "curve": inline_serializer(
            name="CaseCurveDay",
            fields={"date": serializers.DateField(), "count": serializers.IntegerField()},
            many=True,
        ),
    },
)

LIST_PARAMETERS = [
    OpenApiParameter("status", str, enum=CaseStatus.values, description=_("Phân loại")),
    OpenApiParameter("detected_in", str, enum=DetectedIn.values, description=_("Nơi phát hiện")),
    OpenApiParameter("reported_by", str, enum=ReportedBy.values, description=_("Đơn vị báo cáo")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO của đơn vị: chỉ ca bệnh ghi nhận trong đơn vị này")),
    OpenApiParameter("date_from", str, description=_("Đăng ký từ ngày (YYYY-MM-DD)")),
    OpenApiParameter("date_to", str, description=_("Đăng ký đến ngày (YYYY-MM-DD)")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số ca mỗi trang (tối đa 200)")),
]
STATS_PARAMETERS = [
    OpenApiParameter("start", str, description=_("Từ thời điểm (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)")),
    OpenApiParameter("end", str, description=_("Đến thời điểm (YYYY-MM-DD hoặc YYYY-MM-DDTHH:MM)")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO của đơn vị")),
]


def _unit(request: Request) -> Unit | None:
    ref = request.query_params.get("unit", "").strip()
    if not ref:
        return None
    try:
        unit = Unit.objects.current_tree().filter(uid=uuid.UUID(ref)).first()
    except ValueError:
        unit = Unit.objects.current_tree().filter(code=ref).first()
    if unit is None:
        raise serializers.ValidationError({"unit": [_("Không có đơn vị hành chính “%s”.") % ref]})
    return unit


def _choice(request: Request, name: str, values: list[str]) -> str:
    value = request.query_params.get(name, "").strip()
    if value and value not in values:
        raise serializers.ValidationError({name: [_("Giá trị không hợp lệ.")]})
    return value


def _date(request: Request, name: str) -> Any:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    return serializers.DateField().run_validation(value)


def _moment(request: Request, name: str, *, end: bool) -> datetime | None:
    value = request.query_params.get(name, "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise serializers.ValidationError({name: [_("Thời điểm không hợp lệ.")]}) from None
    if len(value) <= 10 and end:
        parsed = datetime.combine(parsed.date(), time.max)
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


class CaseListCreateApi(APIView):
    @extend_schema(
        operation_id="cases_list",
        parameters=LIST_PARAMETERS,
        responses=CasePageSerializer,
        summary=_("Danh sách ca bệnh trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        limit = query_limit(request)
        filters = CaseFilters(
            status=_choice(request, "status", CaseStatus.values),
            detected_in=_choice(request, "detected_in", DetectedIn.values),
            reported_by=_choice(request, "reported_by", ReportedBy.values),
            unit=_unit(request),
            date_from=_date(request, "date_from"),
            date_to=_date(request, "date_to"),
        )
        page = case_list(user=request.user, filters=filters, after=request.query_params.get("after"), limit=limit)
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": CaseSerializer(page.items, many=True).data})

    @extend_schema(
        operation_id="cases_create",
        request=CaseCreateSerializer,
        responses={201: CaseDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Đăng ký ca bệnh"),
    )
    def post(self, request: Request) -> Response:
        serializer = CaseCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        try:
            person = person_get_for_write(user=request.user, uid=fields.pop("person"))
        except Http404:
            raise serializers.ValidationError({"person": [_("Không tìm thấy người này trong địa bàn.")]}) from None
        case = case_register(actor=request.user, person=person, **fields)
        return Response(CaseDetailSerializer(case).data, status=status.HTTP_201_CREATED)


class CaseDetailApi(APIView):
    @extend_schema(
        operation_id="cases_retrieve", responses=CaseDetailSerializer, summary=_("Xem ca bệnh (ghi nhật ký)")
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(CaseDetailSerializer(case_get(user=request.user, uid=uid)).data)


class CaseTransitionApi(APIView):
    @extend_schema(
        operation_id="cases_transition",
        request=TransitionSerializer,
        responses={200: CaseDetailSerializer, 400: OpenApiResponse(description=_("Không chuyển được phân loại"))},
        summary=_("Chuyển phân loại ca bệnh"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        case = case_get_for_write(user=request.user, uid=uid)
        serializer = TransitionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_transition(actor=request.user, case=case, **serializer.validated_data)
        return Response(CaseDetailSerializer(case).data)


def _brief(unit: Unit | None) -> dict[str, Any] | None:
    return None if unit is None else {"uid": unit.uid, "code": unit.code, "name": unit.name}


class CaseStatsApi(APIView):
    @extend_schema(
        operation_id="cases_stats",
        parameters=STATS_PARAMETERS,
        responses=CaseStatsSerializer,
        summary=_("Thống kê ca bệnh: số ca theo thời gian và địa bàn, số ngày không có ca cộng đồng, đường cong dịch"),
    )
    def get(self, request: Request) -> Response:
        today = timezone.localdate()
        end = _moment(request, "end", end=True) or timezone.make_aware(datetime.combine(today, time.max))
        start = _moment(request, "start", end=False) or timezone.make_aware(
            datetime.combine(timezone.localdate(end) - timedelta(days=13), time.min)
        )
        if end < start:
            raise serializers.ValidationError({"end": [_("Ngày kết thúc phải sau ngày bắt đầu.")]})
        unit = _unit(request)
        counts = case_counts(user=request.user, start=start, end=end, unit=unit)
        curve = epidemic_curve(
            user=request.user, start=timezone.localdate(start), end=timezone.localdate(end), unit=unit
        )
        # Days without a community case as of the end of the period (today by default).
        status_rows = community_status(user=request.user, today=timezone.localdate(end), parent=unit)
        data = {
            "start": start,
            "end": end,
            "total": counts.total,
            "sentence": counts_sentence(counts),
            "districts": [{"unit": _brief(c.unit), "count": c.count} for c in counts.districts],
            "communes": [
                {"unit": _brief(c.unit), "district": _brief(c.district), "count": c.count} for c in counts.communes
            ],
            "green_after_days": green_after_days(),
            "days_since_last_community_case": [
                {"unit": _brief(r.unit), "last_case": r.last_case, "days": r.days, "green": r.green}
                for r in status_rows
            ],
            "curve": [{"date": d, "count": n} for d, n in curve],
        }
        return Response(data)


# --- Outbreak clusters (C3) ------------------------------------------------------------------


class ClusterSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer()
    place_unit = UnitBriefSerializer(allow_null=True)
    organisation = OrganisationRefSerializer(allow_null=True)
    premises: serializers.SlugRelatedField[Premises] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    confirmed_count = serializers.IntegerField(read_only=True)
    last_confirmation = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Cluster
        fields = [
            "uid",
            "name",
            "organisation",
            "premises",
            "place_unit",
            "unit",
            "start_date",
            "status",
            "closed_on",
            "note",
            "confirmed_count",
            "last_confirmation",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class ClusterWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=255)
    start_date = serializers.DateField()
    organisation = serializers.SlugRelatedField(
        slug_field="uid", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    premises = serializers.SlugRelatedField(
        slug_field="uid", queryset=Premises.objects.all(), required=False, allow_null=True
    )
    place_unit = serializers.SlugRelatedField(
        slug_field="uid", queryset=Unit.objects.all(), required=False, allow_null=True
    )
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ClusterUpdateSerializer(ClusterWriteSerializer):
    status = serializers.ChoiceField(choices=ClusterStatus.choices, required=False)
    closed_on = serializers.DateField(required=False, allow_null=True)


class ClusterAssignSerializer(serializers.Serializer):
    cases = serializers.ListField(
        child=serializers.CharField(max_length=64),
        min_length=1,
        max_length=1000,
        help_text=_("uid hoặc mã của các ca bệnh (trong địa bàn)"),
    )
    action = serializers.ChoiceField(
        choices=[("add", _("Gán vào ổ dịch")), ("remove", _("Bỏ khỏi ổ dịch"))], default="add"
    )


class IsolationSerializer(serializers.Serializer):
    isolated_on = serializers.DateField(allow_null=True)


ClusterPageSerializer = inline_serializer(
    name="ClusterPage",
    fields={"next": serializers.URLField(allow_null=True), "results": ClusterSerializer(many=True)},
)
ProjectionDaySerializer = inline_serializer(
    name="ClusterProjectionDay",
    fields={
        "date": serializers.DateField(),
        "expected": serializers.FloatField(),
        "low": serializers.FloatField(),
        "high": serializers.FloatField(),
        "cumulative": serializers.FloatField(),
        "cumulative_low": serializers.FloatField(),
        "cumulative_high": serializers.FloatField(),
    },
    many=True,
)
OutlookSerializer = inline_serializer(
    name="ClusterOutlook",
    fields={
        "as_of": serializers.DateField(),
        "daily": inline_serializer(
            name="ClusterDay", fields={"date": serializers.DateField(), "count": serializers.IntegerField()}, many=True
        ),
        "last7": serializers.IntegerField(),
        "previous7": serializers.IntegerField(),
        "week_ratio": serializers.FloatField(allow_null=True),
        "doubling_days": serializers.FloatField(allow_null=True, help_text=_("null: không xác định")),
        "doubling_low": serializers.FloatField(allow_null=True),
        "doubling_high": serializers.FloatField(allow_null=True),
        "growth_per_day": serializers.FloatField(allow_null=True),
        "projection_label": serializers.CharField(),
        "projection_method": serializers.CharField(),
        "projection": ProjectionDaySerializer,
        "statements": serializers.ListField(child=serializers.CharField()),
    },
)
ClusterDetailSerializer = inline_serializer(
    name="ClusterDetail",
    fields={
        "cluster": ClusterSerializer(),
        "cases": CaseSerializer(many=True),
        "cases_outside_scope": serializers.IntegerField(),
        "outlook": OutlookSerializer,
    },
)
CLUSTER_LIST_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Tên ổ dịch chứa")),
    OpenApiParameter("status", str, enum=ClusterStatus.values, description=_("Trạng thái")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO của đơn vị: chỉ ổ dịch trong đơn vị này")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số ổ dịch mỗi trang (tối đa 200)")),
]


def outlook_data(result: Outlook) -> dict[str, Any]:
    from .views import outlook_text

    text = outlook_text(result)
    d = result.doubling
    return {
        "as_of": result.as_of,
        "daily": [{"date": day, "count": n} for day, n in result.series],
        "last7": result.week.last7,
        "previous7": result.week.previous7,
        "week_ratio": result.week.ratio,
        "doubling_days": d.days if d else None,
        "doubling_low": d.low if d else None,
        "doubling_high": d.high if d else None,
        "growth_per_day": result.fit.slope if result.fit else None,
        "projection_label": str(_("Dự báo, không phải số liệu")),
        "projection_method": text["method"],
        "projection": [
            {
                "date": day,
                "expected": p.expected,
                "low": p.low,
                "high": p.high,
                "cumulative": p.cumulative,
                "cumulative_low": p.cumulative_low,
                "cumulative_high": p.cumulative_high,
            }
            for day, p in result.projection
        ],
        "statements": [t for t in (text["week"], text["doubling"], text["projection"]) if t],
    }


def _cluster_detail(user: Any, cluster: Cluster, as_of: Any = None) -> dict[str, Any]:
    cases = cluster_cases(user=user, cluster=cluster)
    return {
        "cluster": ClusterSerializer(cluster).data,
        "cases": CaseSerializer(cases.items, many=True).data,
        "cases_outside_scope": cases.hidden,
        "outlook": outlook_data(cluster_outlook(cluster=cluster, as_of=as_of)),
    }


class ClusterListCreateApi(APIView):
    @extend_schema(
        operation_id="clusters_list",
        parameters=CLUSTER_LIST_PARAMETERS,
        responses=ClusterPageSerializer,
        summary=_("Danh sách ổ dịch trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        limit = query_limit(request)
        filters = ClusterFilters(
            status=_choice(request, "status", ClusterStatus.values),
            unit=_unit(request),
            q=request.query_params.get("q", "")[:120],
        )
        page = cluster_list(user=request.user, filters=filters, after=request.query_params.get("after"), limit=limit)
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": ClusterSerializer(page.items, many=True).data})

    @extend_schema(
        operation_id="clusters_create",
        request=ClusterWriteSerializer,
        responses={201: ClusterDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Tạo ổ dịch"),
    )
    def post(self, request: Request) -> Response:
        serializer = ClusterWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cluster = cluster_create(actor=request.user, **serializer.validated_data)
        cluster = cluster_get_for_write(user=request.user, uid=cluster.uid)
        return Response(_cluster_detail(request.user, cluster), status=status.HTTP_201_CREATED)


class ClusterDetailApi(APIView):
    @extend_schema(
        operation_id="clusters_retrieve",
        parameters=[OpenApiParameter("as_of", str, description=_("Tính đến ngày (YYYY-MM-DD)"))],
        responses=ClusterDetailSerializer,
        summary=_("Xem ổ dịch: ca bệnh, số ca theo ngày, tăng trưởng, thời gian nhân đôi, dự báo (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        as_of = _date(request, "as_of")
        if as_of is not None and as_of > timezone.localdate():
            raise serializers.ValidationError({"as_of": [_("Ngày không được ở tương lai.")]})
        cluster = cluster_get(user=request.user, uid=uid)
        return Response(_cluster_detail(request.user, cluster, as_of))

    @extend_schema(
        operation_id="clusters_update",
        request=ClusterUpdateSerializer,
        responses={200: ClusterDetailSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Sửa ổ dịch (kể cả kết thúc ổ dịch)"),
    )
    def put(self, request: Request, uid: uuid.UUID) -> Response:
        cluster = cluster_get_for_write(user=request.user, uid=uid)
        serializer = ClusterUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        cluster_update(actor=request.user, cluster=cluster, **serializer.validated_data)
        return Response(_cluster_detail(request.user, cluster_get_for_write(user=request.user, uid=uid)))


class ClusterAssignApi(APIView):
    @extend_schema(
        operation_id="clusters_assign",
        request=ClusterAssignSerializer,
        responses={200: ClusterDetailSerializer, 400: OpenApiResponse(description=_("Ca bệnh không hợp lệ"))},
        summary=_("Gán ca bệnh vào ổ dịch hoặc bỏ ra (tất cả hoặc không ca nào)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        cluster = cluster_get_for_write(user=request.user, uid=uid)
        serializer = ClusterAssignSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        refs = serializer.validated_data["cases"]
        keys: list[str] = []  # each reference as the key it is found under: a uid's canonical text, or a code
        uids, codes = [], []
        for ref in refs:
            try:
                key = uuid.UUID(ref.strip())
            except ValueError:
                keys.append(ref.strip().upper())
                codes.append(ref.strip().upper())
            else:
                keys.append(str(key))
                uids.append(key)
        found = {str(c.uid): c for c in visible_cases(request.user).filter(uid__in=uids)}
        found.update(cases_by_codes(user=request.user, codes=codes))
        missing = [ref for ref, key in zip(refs, keys, strict=True) if key not in found]
        if missing:
            raise serializers.ValidationError(
                {"cases": [_("Không tìm thấy ca bệnh trong địa bàn: %s") % ", ".join(missing[:20])]}
            )
        remove = serializer.validated_data["action"] == "remove"
        with transaction.atomic():
            for case in {c.pk: c for c in found.values()}.values():
                if remove and case.cluster_id != cluster.pk:
                    continue
                case_assign_cluster(actor=request.user, case=case, cluster=None if remove else cluster)
        return Response(_cluster_detail(request.user, cluster_get_for_write(user=request.user, uid=uid)))


class CaseIsolationApi(APIView):
    @extend_schema(
        operation_id="cases_isolation",
        request=IsolationSerializer,
        responses={200: CaseDetailSerializer, 400: OpenApiResponse(description=_("Ngày cách ly không hợp lệ"))},
        summary=_("Ghi ngày cách ly của ca bệnh (ngày kết thúc cửa sổ F1)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        case = case_get_for_write(user=request.user, uid=uid)
        serializer = IsolationSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        case = case_set_isolated_on(actor=request.user, case=case, **serializer.validated_data)
        return Response(CaseDetailSerializer(case).data)
