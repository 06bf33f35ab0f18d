"""People API (thin): list/search, create with de-duplication, retrieve (audited), update, merge, export."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
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
from phongdich.geo.models import Level, Unit
from phongdich.orgs.api import OrganisationRefSerializer
from phongdich.orgs.models import Organisation

from .exports import people_export
from .models import Person, Sex
from .selectors import person_get, person_get_for_write, person_search
from .services import CreateOutcome, person_create, person_merge, person_update

# --- Serializers -------------------------------------------------------------------------------


class PersonBriefSerializer(serializers.Serializer[Person]):
    """A person as other records refer to them (a case, a contact): no health or identity numbers."""

    uid = serializers.UUIDField()
    full_name = serializers.CharField()
    birth_year = serializers.IntegerField()


class PersonSerializer(serializers.ModelSerializer):
    residence_unit = UnitBriefSerializer()
    organisation = OrganisationRefSerializer(allow_null=True)
    merged_into: serializers.SlugRelatedField[Person] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    is_foreigner = serializers.BooleanField(read_only=True)

    class Meta:
        model = Person
        fields = [
            "uid",
            "full_name",
            "birth_year",
            "birth_date",
            "sex",
            "cccd",
            "passport_no",
            "nationality",
            "phone",
            "email",
            "residence_unit",
            "address",
            "occupation",
            "organisation",
            "is_foreigner",
            "entry_date",
            "entry_point",
            "visa_purpose",
            "illegal_entry",
            "merged_into",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class PersonCreatedSerializer(PersonSerializer):
    outcome = serializers.ChoiceField(choices=[c.value for c in CreateOutcome])

    class Meta(PersonSerializer.Meta):
        fields = [*PersonSerializer.Meta.fields, "outcome"]
        read_only_fields = fields


@extend_schema_field(OpenApiTypes.STR)
class UnitRefField(serializers.Field):
    """A unit given by its uid or its code (in the tree in force)."""

    default_error_messages = {"unknown": _("Không có đơn vị hành chính “{value}”.")}

    def to_internal_value(self, data: Any) -> Unit:
        value = str(data).strip()
        qs = Unit.objects.filter(level__gte=Level.COMMUNE)
        try:
            unit = qs.filter(uid=uuid.UUID(value)).first()
        except ValueError:
            unit = qs.filter(tree=getattr(settings, "ADMIN_TREE", "2021"), code=value).first()
        if unit is None:
            self.fail("unknown", value=value)
        return unit

    def to_representation(self, value: Unit) -> str:
        return str(value.uid)


class PersonInputSerializer(serializers.Serializer):
    """The shape of a person as sent by a client; the identity rules are checked by the service."""

    full_name = serializers.CharField(max_length=120)
    birth_year = serializers.IntegerField(required=False, allow_null=True)
    birth_date = serializers.DateField(required=False, allow_null=True)
    sex = serializers.ChoiceField(choices=Sex.choices)
    cccd = serializers.CharField(max_length=20, required=False, allow_blank=True, allow_null=True)
    passport_no = serializers.CharField(max_length=20, required=False, allow_blank=True)
    nationality = serializers.CharField(max_length=2, required=False, default="VN")
    phone = serializers.CharField(max_length=20, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    residence_unit = UnitRefField(help_text=_("uid hoặc mã GSO của xã, phường hoặc thôn, xóm"))
    address = serializers.CharField(max_length=255, required=False, allow_blank=True)
    occupation = serializers.CharField(max_length=120, required=False, allow_blank=True)
    organisation = serializers.SlugRelatedField(
        slug_field="uid", queryset=Organisation.objects.all(), required=False, allow_null=True
    )
    entry_date = serializers.DateField(required=False, allow_null=True)
    entry_point = serializers.CharField(max_length=120, required=False, allow_blank=True)
    visa_purpose = serializers.CharField(max_length=120, required=False, allow_blank=True)
    illegal_entry = serializers.BooleanField(required=False)


class PersonCreateSerializer(PersonInputSerializer):
    force = serializers.BooleanField(
        required=False, default=False, help_text=_("Tạo mới dù có người cùng họ tên, năm sinh, số điện thoại")
    )


class PersonUpdateSerializer(PersonInputSerializer):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for f in self.fields.values():
            f.required = False


class MergeSerializer(serializers.Serializer):
    drop = serializers.UUIDField(help_text=_("uid của hồ sơ bị gộp vào hồ sơ này"))


DuplicateSerializer = inline_serializer(
    name="PersonPossibleDuplicate",
    fields={
        "outcome": serializers.CharField(),
        "detail": serializers.CharField(),
        "candidates": PersonSerializer(many=True),
    },
)
PersonPageSerializer = inline_serializer(
    name="PersonPage",
    fields={"next": serializers.URLField(allow_null=True), "results": PersonSerializer(many=True)},
)

LIST_PARAMETERS = [
    OpenApiParameter("q", str, description=_("Tên (không dấu cũng được), CCCD, số điện thoại hoặc hộ chiếu")),
    OpenApiParameter("unit", str, description=_("uid hoặc mã GSO của đơn vị: chỉ người cư trú trong đơn vị này")),
    OpenApiParameter("foreigners", bool, description=_("Chỉ người nước ngoài và người nhập cảnh trái phép")),
    OpenApiParameter("after", str, description=_("Con trỏ trang sau (giá trị trong liên kết next)")),
    OpenApiParameter("limit", int, description=_("Số người mỗi trang (tối đa 200)")),
]


def _unit_param(request: Request) -> Unit | None:
    ref = request.query_params.get("unit", "").strip()
    if not ref:
        return None
    try:
        return UnitRefField().to_internal_value(ref)
    except serializers.ValidationError:
        raise serializers.ValidationError({"unit": [_("Không có đơn vị hành chính “%s”.") % ref]}) from None


def _flag(request: Request, name: str) -> bool:
    return request.query_params.get(name, "").lower() in {"1", "true", "yes"}


def _fields(data: dict[str, Any]) -> dict[str, Any]:
    fields = dict(data)
    fields.pop("force", None)
    if "cccd" in fields:
        fields["cccd"] = fields["cccd"] or None
    return fields


# --- Views -----------------------------------------------------------------------------------------


class PersonListCreateApi(APIView):
    @extend_schema(
        operation_id="people_list",
        parameters=LIST_PARAMETERS,
        responses=PersonPageSerializer,
        summary=_("Danh sách, tìm kiếm nhân khẩu trong địa bàn (phân trang theo con trỏ)"),
    )
    def get(self, request: Request) -> Response:
        limit = query_limit(request)
        page = person_search(
            user=request.user,
            q=request.query_params.get("q", ""),
            unit=_unit_param(request),
            foreigners=_flag(request, "foreigners"),
            after=request.query_params.get("after") or None,
            limit=limit,
        )
        next_url = next_page_url(request, page.next_after)
        return Response({"next": next_url, "results": PersonSerializer(page.items, many=True).data})

    @extend_schema(
        operation_id="people_create",
        request=PersonCreateSerializer,
        responses={
            201: PersonCreatedSerializer,
            200: OpenApiResponse(PersonCreatedSerializer, description=_("Số CCCD đã đăng ký: hồ sơ có sẵn")),
            409: OpenApiResponse(DuplicateSerializer, description=_("Có thể trùng: cùng họ tên, năm sinh, SĐT")),
            400: OpenApiResponse(description=_("Lỗi theo từng trường")),
        },
        summary=_("Thêm người (trả về hồ sơ có sẵn nếu trùng CCCD)"),
    )
    def post(self, request: Request) -> Response:
        serializer = PersonCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        result = person_create(
            actor=request.user,  # type: ignore[arg-type]
            force=serializer.validated_data.get("force", False),
            **_fields(serializer.validated_data),
        )
        if result.outcome is CreateOutcome.POSSIBLE_DUPLICATE:
            return Response(
                {
                    "outcome": result.outcome.value,
                    "detail": _(
                        "Đã có người cùng họ tên, năm sinh và số điện thoại. Gửi lại với force=true để vẫn tạo."
                    ),
                    "candidates": PersonSerializer(result.candidates, many=True).data,
                },
                status=status.HTTP_409_CONFLICT,
            )
        assert result.person is not None
        data = PersonSerializer(result.person).data
        data["outcome"] = result.outcome.value
        code = status.HTTP_201_CREATED if result.outcome is CreateOutcome.CREATED else status.HTTP_200_OK
        return Response(data, status=code)


class PersonDetailApi(APIView):
    @extend_schema(operation_id="people_retrieve", responses=PersonSerializer, summary=_("Xem hồ sơ (ghi nhật ký)"))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        person = person_get(user=request.user, uid=uid)
        return Response(PersonSerializer(person).data)

    @extend_schema(
        operation_id="people_partial_update",
        request=PersonUpdateSerializer,
        responses={200: PersonSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Sửa hồ sơ"),
    )
    def patch(self, request: Request, uid: uuid.UUID) -> Response:
        person = person_get_for_write(user=request.user, uid=uid)
        serializer = PersonUpdateSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        person = person_update(person=person, actor=request.user, **_fields(serializer.validated_data))  # type: ignore[arg-type]
        return Response(PersonSerializer(person).data)


class PersonMergeApi(APIView):
    @extend_schema(
        operation_id="people_merge",
        request=MergeSerializer,
        responses={200: PersonSerializer, 400: OpenApiResponse(description=_("Không gộp được"))},
        summary=_("Gộp hồ sơ trùng vào hồ sơ này"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        keep = person_get_for_write(user=request.user, uid=uid)
        serializer = MergeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            drop = person_get_for_write(user=request.user, uid=serializer.validated_data["drop"])
        except Http404:
            raise serializers.ValidationError({"drop": [_("Không tìm thấy hồ sơ cần gộp.")]}) from None
        kept = person_merge(keep=keep, drop=drop, actor=request.user)  # type: ignore[arg-type]
        return Response(PersonSerializer(kept).data)


class PersonExportApi(APIView):
    @extend_schema(
        operation_id="people_export",
        parameters=LIST_PARAMETERS[:3],
        responses={(200, "text/csv"): OpenApiTypes.BINARY, (200, "application/vnd.ms-excel"): OpenApiTypes.BINARY},
        summary=_("Xuất danh sách (CSV hoặc Excel), ghi nhật ký"),
    )
    def get(self, request: Request, fmt: str) -> HttpResponse:
        export = people_export(
            user=request.user,
            fmt=fmt,
            q=request.query_params.get("q", ""),
            unit=_unit_param(request),
            foreigners=_flag(request, "foreigners"),
        )
        response = HttpResponse(export.content, content_type=export.content_type)
        response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
        return response
