"""Administrative-tree API (thin): list and retrieve units, list and add a commune's hamlets.

Units are public geography: every authenticated client may read them. Adding a hamlet needs the
commune in the caller's jurisdiction; outside it the answer is 404.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from phongdich.core.errors import ValidationFailed
from phongdich.core.pagination import KeysetPagination

from .access import unit_scope
from .models import HAMLET_TYPES, Level, Unit, UnitType
from .selectors import commune_hamlets, current_tree, unit_get, unit_list
from .services import hamlet_create


class UnitBriefSerializer(serializers.Serializer[Unit]):
    """A unit as other records refer to it (a person's residence, an area, a case)."""

    uid = serializers.UUIDField()
    code = serializers.CharField()
    name = serializers.CharField()


class UnitSerializer(serializers.ModelSerializer[Unit]):
    # "parent" is also an attribute of every DRF field in the stubs; here it is the parent unit's uid.
    parent = serializers.SlugRelatedField(slug_field="uid", read_only=True)  # type: ignore[assignment,var-annotated]
    level_display = serializers.CharField(source="get_level_display", read_only=True)
    unit_type_display = serializers.CharField(source="get_unit_type_display", read_only=True)

    class Meta:
        model = Unit
        fields = [
            "uid",
            "tree",
            "code",
            "name",
            "name_en",
            "level",
            "level_display",
            "unit_type",
            "unit_type_display",
            "parent",
            "path",
            "population",
            "population_year",
            "population_source",
            "valid_from",
            "valid_to",
        ]
        read_only_fields = fields


class HamletCreateSerializer(serializers.Serializer[Any]):
    name = serializers.CharField(max_length=120)
    unit_type = serializers.ChoiceField(choices=[(t, UnitType(t).label) for t in HAMLET_TYPES])
    code = serializers.CharField(max_length=20, required=False, allow_blank=True)
    population = serializers.IntegerField(min_value=0, max_value=50_000_000, required=False, allow_null=True)


class UnitPagination(KeysetPagination):
    """Pages in tree order (``path`` is unique within the one tree a list shows)."""

    ordering = "path"


_LIST_PARAMETERS = [
    OpenApiParameter("tree", OpenApiTypes.STR, description="Bộ đơn vị (mặc định: bộ đang dùng, ADMIN_TREE)."),
    OpenApiParameter("parent", OpenApiTypes.UUID, description="Chỉ các đơn vị con trực tiếp của đơn vị này (uid)."),
    OpenApiParameter("level", OpenApiTypes.INT, enum=[int(v) for v in Level.values], description="Cấp (1–4)."),
    OpenApiParameter("q", OpenApiTypes.STR, description="Tìm theo tên (không dấu cũng được) hoặc đầu mã."),
]


@extend_schema(tags=["units"])
class UnitListApi(generics.ListAPIView[Unit]):
    """Units of one tree, in tree order, filtered by parent, level or name."""

    serializer_class = UnitSerializer
    pagination_class = UnitPagination

    @extend_schema(parameters=_LIST_PARAMETERS)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> Any:
        params = self.request.query_params
        parent = None
        if params.get("parent"):
            try:
                parent = unit_get(uid=uuid.UUID(params["parent"]))
            except (ValueError, Unit.DoesNotExist):
                raise ValidationFailed(_("Không có đơn vị cấp trên này."), field="parent") from None
        level = None
        if params.get("level"):
            if params["level"] not in {str(v) for v in Level.values}:
                raise ValidationFailed(_("Cấp phải từ 1 đến 4."), field="level")
            level = int(params["level"])
        tree = params.get("tree", "").strip()[:16] or (parent.tree if parent else current_tree())
        return unit_list(tree=tree, parent=parent, level=level, q=params.get("q", "")[:120])


@extend_schema(tags=["units"])
class UnitDetailApi(generics.RetrieveAPIView[Unit]):
    serializer_class = UnitSerializer
    lookup_field = "uid"
    queryset = Unit.objects.select_related("parent")


@extend_schema(tags=["units"])
class CommuneHamletsApi(generics.GenericAPIView[Unit]):
    """A commune's hamlets and residential groups; POST adds one (commune officers of that commune)."""

    serializer_class = UnitSerializer
    pagination_class = None

    def _commune(self, uid: uuid.UUID) -> Unit:
        try:
            unit = unit_get(uid=uid)
        except Unit.DoesNotExist:
            raise Http404 from None
        if unit.level != Level.COMMUNE:
            raise Http404
        return unit

    @extend_schema(responses=UnitSerializer(many=True))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        commune = self._commune(uid)
        return Response(UnitSerializer(commune_hamlets(commune), many=True).data)

    @extend_schema(
        request=HamletCreateSerializer,
        responses={
            201: UnitSerializer,
            400: OpenApiResponse(description="Lỗi theo trường (tên trùng, loại hay mã không hợp lệ)."),
            404: OpenApiResponse(description="Không có xã này, hoặc xã ngoài phạm vi quản lý của bạn."),
        },
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        commune = self._commune(uid)
        if not unit_scope(request.user).contains_unit(commune):
            raise Http404
        data = HamletCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        hamlet = hamlet_create(
            commune=commune,
            name=data.validated_data["name"],
            unit_type=data.validated_data["unit_type"],
            code=data.validated_data.get("code") or None,
            population=data.validated_data.get("population"),
            actor=request.user,  # type: ignore[arg-type]
        )
        return Response(UnitSerializer(hamlet).data, status=status.HTTP_201_CREATED)
