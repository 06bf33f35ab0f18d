"""Supplies API (thin): the catalogue, a holder's stock, record a movement, the low-stock list."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.geo.models import Unit
from phongdich.orgs.models import Organisation

from .models import ItemCategory, Movement, MovementKind, SupplyItem, Threshold
from .selectors import HolderRef, holder_ref, item_by_code, item_list, low_stock, stock_rows
from .services import holder_for, movement_record


class SupplyItemSerializer(serializers.ModelSerializer[SupplyItem]):
    category = serializers.ChoiceField(choices=ItemCategory.choices)

    class Meta:
        model = SupplyItem
        fields = ["code", "name", "category", "unit_of_measure", "is_active"]
        read_only_fields = fields


class SupplyStockRowSerializer(serializers.Serializer[Any]):
    item = serializers.CharField(source="item.code")
    name = serializers.CharField(source="item.name")
    unit_of_measure = serializers.CharField(source="item.unit_of_measure")
    remaining = serializers.IntegerField()
    minimum = serializers.IntegerField(allow_null=True)
    low = serializers.BooleanField()


class SupplyMovementSerializer(serializers.ModelSerializer[Movement]):
    item = serializers.CharField(source="item.code")
    kind = serializers.ChoiceField(choices=MovementKind.choices)

    class Meta:
        model = Movement
        fields = ["uid", "item", "kind", "quantity", "occurred_on", "reason"]
        read_only_fields = fields


class SupplyMovementCreateSerializer(serializers.Serializer[Any]):
    unit = serializers.UUIDField(required=False, allow_null=True, default=None, help_text=_("uid địa bàn giữ kho"))
    organisation = serializers.UUIDField(
        required=False, allow_null=True, default=None, help_text=_("uid cơ quan giữ kho (thay cho địa bàn)")
    )
    item = serializers.CharField(max_length=40, help_text=_("mã vật tư trong danh mục"))
    kind = serializers.ChoiceField(choices=MovementKind.choices)
    quantity = serializers.IntegerField(min_value=-10_000_000, max_value=10_000_000)
    occurred_on = serializers.DateField(required=False, allow_null=True, default=None)
    receiver_unit = serializers.UUIDField(required=False, allow_null=True, default=None)
    receiver_organisation = serializers.UUIDField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True, default="")


class SupplyLowStockSerializer(serializers.ModelSerializer[Threshold]):
    holder = serializers.CharField(source="holder.name")
    item = serializers.CharField(source="item.code")
    remaining = serializers.IntegerField()

    class Meta:
        model = Threshold
        fields = ["holder", "item", "minimum", "remaining"]
        read_only_fields = fields


def _ref(request: Request, unit: Any, organisation: Any, field: str = "unit") -> HolderRef:
    if (unit is None) == (organisation is None):
        raise serializers.ValidationError({field: [_("Chọn một địa bàn hoặc một cơ quan.")]})
    try:
        return holder_ref(user=request.user, kind="u" if unit is not None else "o", uid=unit or organisation)
    except Http404:
        raise serializers.ValidationError({field: [_("Không tìm thấy nơi giữ này trong phạm vi của bạn.")]}) from None


class ItemListApi(APIView):
    @extend_schema(
        operation_id="supplies_items_list", responses=SupplyItemSerializer(many=True), summary=_("Danh mục vật tư")
    )
    def get(self, request: Request) -> Response:
        return Response(SupplyItemSerializer(item_list(), many=True).data)


class StockApi(APIView):
    @extend_schema(
        operation_id="supplies_stock_retrieve",
        parameters=[
            OpenApiParameter("unit", str, description=_("uid địa bàn")),
            OpenApiParameter("organisation", str, description=_("uid cơ quan")),
        ],
        responses=SupplyStockRowSerializer(many=True),
        summary=_("Tồn kho của một địa bàn hoặc cơ quan trong phạm vi"),
    )
    def get(self, request: Request) -> Response:
        unit = request.query_params.get("unit") or None
        organisation = request.query_params.get("organisation") or None
        ref = _ref(request, unit, organisation)
        return Response(SupplyStockRowSerializer(stock_rows(ref.holder, all_items=True), many=True).data)


class MovementCreateApi(APIView):
    @extend_schema(
        operation_id="supplies_movements_create",
        request=SupplyMovementCreateSerializer,
        responses={201: SupplyMovementSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Ghi nhập, xuất cấp, sử dụng hoặc điều chỉnh kho (ghi nhật ký)"),
    )
    def post(self, request: Request) -> Response:
        serializer = SupplyMovementCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        ref = _ref(request, data["unit"], data["organisation"])
        item = item_by_code(data["item"])
        if item is None:
            raise serializers.ValidationError({"item": [_("Không có vật tư này trong danh mục.")]})
        receiver = None
        if data["kind"] == MovementKind.ISSUED:
            if data["receiver_unit"] and data["receiver_organisation"]:
                raise serializers.ValidationError({"receiver_unit": [_("Chọn một nơi nhận.")]})
            if data["receiver_unit"]:
                unit = Unit.objects.filter(uid=data["receiver_unit"]).first()
                if unit is None:
                    raise serializers.ValidationError({"receiver_unit": [_("Không tìm thấy địa bàn này.")]})
                receiver = holder_for(unit=unit)
            elif data["receiver_organisation"]:
                org = Organisation.objects.filter(uid=data["receiver_organisation"]).first()
                if org is None:
                    raise serializers.ValidationError({"receiver_organisation": [_("Không tìm thấy cơ quan này.")]})
                receiver = holder_for(organisation=org)
        holder = ref.holder or holder_for(unit=ref.unit, organisation=ref.organisation)
        movement = movement_record(
            actor=request.user,
            holder=holder,
            item=item,
            kind=data["kind"],
            quantity=data["quantity"],
            occurred_on=data["occurred_on"],
            receiver=receiver,
            reason=data["reason"],
        )
        return Response(SupplyMovementSerializer(movement).data, status=status.HTTP_201_CREATED)


class LowStockApi(APIView):
    @extend_schema(
        operation_id="supplies_low_stock_list",
        responses=SupplyLowStockSerializer(many=True),
        summary=_("Vật tư dưới mức tối thiểu trong phạm vi"),
    )
    def get(self, request: Request) -> Response:
        return Response(SupplyLowStockSerializer(low_stock(user=request.user, limit=1000), many=True).data)
