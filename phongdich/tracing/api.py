"""Tracing API (thin): contacts list/record, chains list, a chain's graph page, a person's levels (C4)."""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.cases.models import Case
from phongdich.core.pagination import next_page_url, query_limit
from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation, Premises
from phongdich.people.api import PersonBriefSerializer
from phongdich.people.models import Person
from phongdich.people.selectors import person_get_for_write

from .models import ChainSnapshot, Contact, ContactLevel, ExposureType
from .selectors import (
    LEVEL_FILTERS,
    ChainFilters,
    ContactFilters,
    chain_get,
    chain_graph,
    chain_list,
    cluster_id_for,
    contact_list,
    person_levels,
)
from .services import contact_record


class LevelSerializer(serializers.ModelSerializer):
    index_case = serializers.CharField(source="index_case.case_code", default="", allow_null=True)
    via = serializers.UUIDField(source="via.uid", default=None, allow_null=True)
    label = serializers.CharField()  # type: ignore[assignment]

    class Meta:
        model = ContactLevel
        fields = ["level", "label", "reason", "within_window", "index_case", "via", "exposed_from", "isolated_on"]
        read_only_fields = fields


class ContactSerializer(serializers.ModelSerializer):
    source = PersonBriefSerializer()  # type: ignore[assignment]
    contact = PersonBriefSerializer()
    contact_level = serializers.SerializerMethodField()
    organisation: serializers.SlugRelatedField[Organisation] = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )
    premises: serializers.SlugRelatedField[Premises] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    place_unit = UnitBriefSerializer(allow_null=True)

    class Meta:
        model = Contact
        fields = [
            "uid",
            "source",
            "contact",
            "contact_level",
            "exposure_type",
            "organisation",
            "premises",
            "place_unit",
            "place_text",
            "first_exposure",
            "last_exposure",
            "notes",
            "created_at",
        ]
        read_only_fields = fields

    def get_contact_level(self, obj: Contact) -> dict[str, Any] | None:
        row = getattr(obj.contact, "tracing_level", None)
        return LevelSerializer(row).data if row is not None else None


class ContactCreateSerializer(serializers.Serializer):
    source = serializers.UUIDField(help_text=_("uid của người nguồn (người có ca bệnh, hoặc F1)"))  # type: ignore[assignment]
    contact = serializers.UUIDField(help_text=_("uid của người tiếp xúc"))
    exposure_type = serializers.ChoiceField(choices=ExposureType.choices)
    first_exposure = serializers.DateField()
    last_exposure = serializers.DateField(required=False, allow_null=True)
    organisation = serializers.SlugRelatedField(
        slug_field="uid", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    premises = serializers.SlugRelatedField(
        slug_field="uid", queryset=Premises.objects.all(), required=False, allow_null=True
    )
    place_unit = serializers.SlugRelatedField(
        slug_field="uid", queryset=Unit.objects.all(), required=False, allow_null=True
    )
    place_text = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class ChainSerializer(serializers.ModelSerializer):
    unit = UnitBriefSerializer(allow_null=True)

    class Meta:
        model = ChainSnapshot
        fields = [
            "uid",
            "size",
            "case_count",
            "contact_count",
            "generations",
            "first_case_code",
            "first_date",
            "last_date",
            "unit",
            "dirty",
            "computed_at",
        ]
        read_only_fields = fields


def _page(serializer: Any, name: str) -> Any:
    return inline_serializer(name=name, fields={"next": serializers.URLField(allow_null=True), "results": serializer})


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


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").strip().lower() in ("1", "true", "yes")


CONTACT_PARAMETERS = [
    OpenApiParameter("level", str, enum=list(LEVEL_FILTERS), description=_("Cấp: 0, 1, 2, 3 (trở lên), outside")),
    OpenApiParameter("exposure_type", str, enum=ExposureType.values, description=_("Hình thức tiếp xúc")),
    OpenApiParameter("index_case", str, description=_("Mã ca nguồn, ví dụ TN-2021-0001")),
    OpenApiParameter("person", str, description=_("uid của một người: tiếp xúc của người đó hoặc với người đó")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO: nơi cư trú của người tiếp xúc")),
    OpenApiParameter("unquarantined", bool, description=_("Chỉ F1 chưa được cách ly")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số dòng mỗi trang (tối đa 200)")),
]


class ContactListCreateApi(APIView):
    @extend_schema(
        operation_id="tracing_contacts_list",
        parameters=CONTACT_PARAMETERS,
        responses=_page(ContactSerializer(many=True), "ContactPage"),
        summary=_("Danh sách tiếp xúc trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        level = request.query_params.get("level", "").strip()
        if level and level not in LEVEL_FILTERS:
            raise serializers.ValidationError({"level": [_("Giá trị không hợp lệ.")]})
        kind = request.query_params.get("exposure_type", "").strip()
        if kind and kind not in ExposureType.values:
            raise serializers.ValidationError({"exposure_type": [_("Giá trị không hợp lệ.")]})
        index_case = None
        code = request.query_params.get("index_case", "").strip().upper()
        if code:
            index_case = Case.objects.filter(case_code=code).first()
            if index_case is None:
                raise serializers.ValidationError({"index_case": [_("Không có ca bệnh mã “%s”.") % code]})
        person = None
        ref = request.query_params.get("person", "").strip()
        if ref:
            try:
                person = person_get_for_write(user=request.user, uid=ref)
            except Http404:
                raise serializers.ValidationError({"person": [_("Không tìm thấy người này trong địa bàn.")]}) from None
        filters = ContactFilters(
            level=level,
            index_case=index_case,
            person=person,
            unit=_unit(request),
            unquarantined=_flag(request, "unquarantined"),
            exposure_type=kind,
        )
        page = contact_list(
            user=request.user, filters=filters, after=request.query_params.get("after"), limit=query_limit(request, 50)
        )
        return Response(
            {"next": next_page_url(request, page.next_after), "results": ContactSerializer(page.items, many=True).data}
        )

    @extend_schema(
        operation_id="tracing_contacts_create",
        request=ContactCreateSerializer,
        responses={201: ContactSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi nhận người tiếp xúc"),
    )
    def post(self, request: Request) -> Response:
        serializer = ContactCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        fields = dict(serializer.validated_data)
        people: dict[str, Person] = {}
        for name in ("source", "contact"):
            try:
                people[name] = person_get_for_write(user=request.user, uid=fields.pop(name))
            except Http404:
                raise serializers.ValidationError({name: [_("Không tìm thấy người này trong địa bàn.")]}) from None
        row = contact_record(actor=request.user, source=people["source"], contact=people["contact"], **fields)
        row = Contact.objects.select_related("source", "contact", "place_unit").get(pk=row.pk)
        return Response(ContactSerializer(row).data, status=status.HTTP_201_CREATED)


CHAIN_PARAMETERS = [
    OpenApiParameter("cluster", str, description=_("uid của ổ dịch")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO: chuỗi có người trong đơn vị này")),
    OpenApiParameter("min_size", int, description=_("Số người tối thiểu")),
    OpenApiParameter("with_case", bool, description=_("Chỉ chuỗi có ca bệnh")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau")),
    OpenApiParameter("limit", int, description=_("Số chuỗi mỗi trang (tối đa 200)")),
]


class ChainListApi(APIView):
    @extend_schema(
        operation_id="tracing_chains_list",
        parameters=CHAIN_PARAMETERS,
        responses=_page(ChainSerializer(many=True), "ChainPage"),
        summary=_("Danh sách chuỗi lây nhiễm trong địa bàn, lớn nhất trước"),
    )
    def get(self, request: Request) -> Response:
        try:
            min_size = int(request.query_params.get("min_size") or 0) or None
        except ValueError:
            raise serializers.ValidationError({"min_size": [_("Phải là số nguyên.")]}) from None
        cluster = request.query_params.get("cluster", "").strip()
        filters = ChainFilters(
            cluster_id=(cluster_id_for(cluster) or -1) if cluster else None,
            unit=_unit(request),
            min_size=min_size,
            with_case=_flag(request, "with_case"),
        )
        page = chain_list(
            user=request.user, filters=filters, after=request.query_params.get("after"), limit=query_limit(request, 50)
        )
        return Response(
            {"next": next_page_url(request, page.next_after), "results": ChainSerializer(page.items, many=True).data}
        )


GRAPH_PARAMETERS = [
    OpenApiParameter("generations", int, description=_("Chỉ hiện thế hệ 0 … k")),
    OpenApiParameter("hide_leaves", bool, description=_("Ẩn người tiếp xúc từ F2 trở đi không lây cho ai")),
    OpenApiParameter("q", str, description=_("Tìm mã ca bệnh hoặc tên")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (thế hệ-vị trí)")),
    OpenApiParameter("limit", int, description=_("Số nút mỗi trang (mặc định 500, tối đa 1000)")),
]

GraphSerializer = inline_serializer(
    name="ChainGraph",
    fields={
        "chain": ChainSerializer(),
        "clusters": serializers.ListField(child=serializers.DictField()),
        "nodes": serializers.ListField(child=serializers.DictField()),
        "edges": serializers.ListField(child=serializers.DictField()),
        "next": serializers.CharField(allow_null=True),
    },
)


class ChainGraphApi(APIView):
    @extend_schema(
        operation_id="tracing_chain_graph",
        parameters=GRAPH_PARAMETERS,
        responses=GraphSerializer,
        summary=_("Một trang nút và cạnh của chuỗi lây nhiễm, theo thứ tự bố cục (thế hệ, vị trí)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        chain = chain_get(user=request.user, uid=uid)
        generations = request.query_params.get("generations", "").strip()
        try:
            max_generation = int(generations) if generations else None
        except ValueError:
            raise serializers.ValidationError({"generations": [_("Phải là số nguyên.")]}) from None
        page = chain_graph(
            user=request.user,
            chain=chain,
            max_generation=max_generation,
            hide_leaves=_flag(request, "hide_leaves"),
            q=request.query_params.get("q", ""),
            after=request.query_params.get("after"),
            limit=query_limit(request, 500),
        )
        return Response(
            {
                "chain": ChainSerializer(chain).data,
                "clusters": page.clusters,
                "nodes": page.nodes,
                "edges": page.edges,
                "next": page.next_after,
            }
        )


PersonLevelsSerializer = inline_serializer(
    name="PersonTracing",
    fields={
        "person": PersonBriefSerializer(),
        "level": LevelSerializer(allow_null=True),
        "in_quarantine": serializers.BooleanField(),
        "chain": serializers.UUIDField(allow_null=True),
        "sources": ContactSerializer(many=True),
        "contacts": ContactSerializer(many=True),
    },
)


class PersonLevelsApi(APIView):
    @extend_schema(
        operation_id="tracing_person_levels",
        responses=PersonLevelsSerializer,
        summary=_("Cấp tiếp xúc (F0, F1, F2 …) và tiếp xúc của một người (ghi nhật ký)"),
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        record = person_levels(user=request.user, uid=uid)
        return Response(
            {
                "person": PersonBriefSerializer(record.person).data,
                "level": LevelSerializer(record.level).data if record.level else None,
                "in_quarantine": record.in_quarantine,
                "chain": record.chain.uid if record.chain else None,
                "sources": ContactSerializer(record.sources, many=True).data,
                "contacts": ContactSerializer(record.contacts, many=True).data,
            }
        )
