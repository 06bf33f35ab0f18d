"""API for control zones and measure sets (read), goods-transport passes and their checks (Z1, Z2).

Thin: serializers check the shape, the services of ``control_services`` decide; ``ApplicationError``
becomes a 400 with the field's Vietnamese message, ``PermissionDenied`` a 403, a pass or zone outside
the user's area a 404. Lists are keyset pages (newest first).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.geo.api import UnitBriefSerializer

from .api import UnitCodeField
from .control_forms import unit_by_any_code
from .control_selectors import (
    PASS_STATUSES,
    ZONE_STATUSES,
    check_queryset,
    checkpoint_get,
    checkpoint_list,
    measure_sets,
    pass_get,
    pass_queryset,
    zone_get,
    zone_list,
)
from .control_services import pass_check, pass_issue, pass_reissue, pass_revoke
from .models import (
    Checkpoint,
    ControlZone,
    MeasureSet,
    PassCheck,
    PassResult,
    PublicTransport,
    TransportPass,
    ZoneArea,
    ZoneKind,
)
from .pass_tokens import token_for
from .passes import pass_status, public_url


class AnyUnitCodeField(UnitCodeField):
    """A unit of the tree in force by code, hamlets included."""

    def to_internal_value(self, data: Any) -> Any:
        code = serializers.CharField.to_internal_value(self, data).strip()
        if not code:
            return None
        unit = unit_by_any_code(code)
        if unit is None:
            self.fail("unknown", value=code)
        return unit


class MeasureSetSerializer(serializers.ModelSerializer[MeasureSet]):
    public_transport = serializers.ChoiceField(choices=PublicTransport.choices)

    class Meta:
        model = MeasureSet
        fields = [
            "uid",
            "code",
            "name",
            "source_document",
            "source_date",
            "level",
            "effective_from",
            "effective_to",
            "indoor_gathering_cap",
            "outdoor_gathering_cap",
            "events_stopped",
            "min_distance_m",
            "non_essential_closed",
            "closed_business_kinds",
            "public_transport",
            "stay_home",
            "uncertain",
            "note",
        ]
        read_only_fields = fields


class ZonePremisesSerializer(serializers.Serializer):
    uid = serializers.UUIDField()
    name = serializers.CharField()
    organisation = serializers.CharField(source="organisation.name")


class ControlZoneSerializer(serializers.ModelSerializer[ControlZone]):
    zone_kind = serializers.ChoiceField(choices=ZoneKind.choices)
    zone_area = serializers.ChoiceField(source="area", choices=ZoneArea.choices)
    units = UnitBriefSerializer(many=True)
    premises = ZonePremisesSerializer(allow_null=True)
    measure_set: serializers.SlugRelatedField[MeasureSet] = serializers.SlugRelatedField(
        slug_field="code", read_only=True
    )

    class Meta:
        model = ControlZone
        fields = [
            "uid",
            "name",
            "zone_kind",
            "zone_area",
            "units",
            "premises",
            "measure_set",
            "start_date",
            "end_date",
            "decision_number",
            "decision_date",
            "issuing_authority",
            "lifted_on",
            "lift_decision_number",
            "note",
        ]
        read_only_fields = fields


class TransportPassSerializer(serializers.ModelSerializer[TransportPass]):
    issuing_unit = UnitBriefSerializer()
    origin_unit = UnitBriefSerializer(allow_null=True)
    destination_unit = UnitBriefSerializer(allow_null=True)
    zones: serializers.SlugRelatedField[ControlZone] = serializers.SlugRelatedField(
        slug_field="uid", many=True, read_only=True
    )
    pass_status = serializers.SerializerMethodField(help_text=_("Giá trị của thẻ hôm nay"))
    token = serializers.SerializerMethodField(help_text=_("Mã bí mật in dưới mã QR"))
    qr_url = serializers.SerializerMethodField(help_text=_("Địa chỉ công khai trong mã QR"))
    replaced_by: serializers.SlugRelatedField[TransportPass] = serializers.SlugRelatedField(
        slug_field="uid", read_only=True
    )

    class Meta:
        model = TransportPass
        fields = [
            "uid",
            "plate",
            "driver_name",
            "driver_phone",
            "driver_cccd",
            "carrier",
            "goods",
            "origin_unit",
            "origin_text",
            "destination_unit",
            "destination_text",
            "zones",
            "valid_from",
            "valid_to",
            "issuing_unit",
            "revoked_at",
            "revoke_reason",
            "replaced_by",
            "pass_status",
            "token",
            "qr_url",
            "created_at",
        ]
        read_only_fields = fields

    def get_pass_status(self, obj: TransportPass) -> str:
        return str(
            pass_status(
                valid_from=obj.valid_from,
                valid_to=obj.valid_to,
                revoked=obj.revoked_at is not None,
                on=timezone.localdate(),
            )
        )

    def get_token(self, obj: TransportPass) -> str:
        return token_for(obj.nonce)

    def get_qr_url(self, obj: TransportPass) -> str:
        return public_url(obj.nonce)


class TransportPassInputSerializer(serializers.Serializer):
    issuing_unit = AnyUnitCodeField(help_text=_("Mã đơn vị cấp thẻ"))
    plate = serializers.CharField(max_length=20, help_text=_("Biển kiểm soát, ví dụ 20C-123.45"))
    driver_name = serializers.CharField(max_length=120)
    driver_phone = serializers.CharField(max_length=20)
    driver_cccd = serializers.CharField(max_length=12, required=False, allow_blank=True)
    carrier = serializers.CharField(max_length=200, required=False, allow_blank=True)
    goods = serializers.CharField(max_length=255)
    origin_unit = AnyUnitCodeField(required=False, allow_blank=True, allow_null=True)
    origin_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    destination_unit = AnyUnitCodeField(required=False, allow_blank=True, allow_null=True)
    destination_text = serializers.CharField(max_length=200, required=False, allow_blank=True)
    zones = serializers.ListField(child=serializers.UUIDField(), required=False, help_text=_("uid các vùng đi qua"))
    valid_from = serializers.DateField()
    valid_to = serializers.DateField()
    note = serializers.CharField(required=False, allow_blank=True)

    def validate_issuing_unit(self, value: Any) -> Any:
        if value is None:
            raise serializers.ValidationError(_("Trường này là bắt buộc."))
        return value


class TransportPassRevokeSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=255)


class TransportPassReissueSerializer(serializers.Serializer):
    valid_from = serializers.DateField(required=False, allow_null=True)
    valid_to = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(max_length=255, required=False, allow_blank=True)


class TransportPassCheckSerializer(serializers.ModelSerializer[PassCheck]):
    check_result = serializers.ChoiceField(source="result", choices=PassResult.choices)
    checkpoint: serializers.SlugRelatedField[Any] = serializers.SlugRelatedField(slug_field="uid", read_only=True)
    transport_pass: serializers.SlugRelatedField[TransportPass] = serializers.SlugRelatedField(
        slug_field="uid", read_only=True, allow_null=True
    )
    plate = serializers.CharField(source="transport_pass.plate", default="", read_only=True)
    checked_by = serializers.CharField(source="checked_by.username", default="", read_only=True)

    class Meta:
        model = PassCheck
        fields = ["uid", "checkpoint", "transport_pass", "plate", "check_result", "checked_at", "checked_by", "code"]
        read_only_fields = fields


class TransportCheckpointSerializer(serializers.ModelSerializer[Any]):
    unit = UnitBriefSerializer()
    zone: serializers.SlugRelatedField[ControlZone] = serializers.SlugRelatedField(
        slug_field="uid", read_only=True, allow_null=True
    )

    class Meta:
        model = Checkpoint
        fields = ["uid", "name", "unit", "zone", "is_active"]
        read_only_fields = fields


class TransportPassCheckInputSerializer(serializers.Serializer):
    checkpoint = serializers.UUIDField(help_text=_("uid của chốt kiểm soát"))
    code = serializers.CharField(max_length=400, help_text=_("Nội dung mã QR đã quét hoặc mã in dưới mã QR"))


# --- Views -------------------------------------------------------------------------------------


def _choice_param(request: Request, name: str, allowed: tuple[str, ...], default: str) -> str:
    value = request.query_params.get(name, default)
    if value not in allowed:
        raise serializers.ValidationError({name: [_("Giá trị không hợp lệ.")]})
    return value


class ZoneListApi(generics.ListAPIView):
    serializer_class = ControlZoneSerializer

    def get_queryset(self) -> Any:
        return zone_list(user=self.request.user, status=_choice_param(self.request, "status", ZONE_STATUSES, "active"))

    @extend_schema(
        operation_id="control_zones_list",
        parameters=[OpenApiParameter("status", str, enum=list(ZONE_STATUSES), description=_("active (mặc định)"))],
        summary=_("Vùng cách ly, phong tỏa, giãn cách trong địa bàn"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class ZoneDetailApi(APIView):
    @extend_schema(operation_id="control_zones_retrieve", responses=ControlZoneSerializer, summary=_("Xem vùng"))
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(ControlZoneSerializer(zone_get(user=request.user, uid=uid)).data)


class MeasureSetListApi(APIView):
    @extend_schema(
        operation_id="measure_sets_list",
        responses=MeasureSetSerializer(many=True),
        summary=_("Các bộ biện pháp (Chỉ thị 15, 16, 19/CT-TTg, cấp độ dịch); uncertain: biện pháp chưa xác nhận"),
    )
    def get(self, request: Request) -> Response:
        return Response(MeasureSetSerializer(measure_sets(), many=True).data)


class PassListCreateApi(generics.ListAPIView):
    serializer_class = TransportPassSerializer

    def get_queryset(self) -> Any:
        return pass_queryset(
            user=self.request.user,
            status=_choice_param(self.request, "status", PASS_STATUSES, "all"),
            plate=self.request.query_params.get("plate", "")[:20],
        ).prefetch_related("zones")

    @extend_schema(
        operation_id="transport_passes_list",
        parameters=[
            OpenApiParameter("status", str, enum=list(PASS_STATUSES), description=_("all (mặc định)")),
            OpenApiParameter("plate", str, description=_("Biển kiểm soát")),
        ],
        summary=_("Thẻ luồng xanh do các đơn vị trong địa bàn cấp"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="transport_passes_create",
        request=TransportPassInputSerializer,
        responses={201: TransportPassSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Cấp thẻ luồng xanh"),
    )
    def post(self, request: Request) -> Response:
        serializer = TransportPassInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        zone_uids = data.pop("zones", [])
        zones = list(zone_list(user=request.user, status="all").filter(uid__in=zone_uids))
        if len(zones) != len(set(zone_uids)):
            raise serializers.ValidationError({"zones": [_("Có vùng không tìm thấy trong địa bàn.")]})
        issued = pass_issue(actor=request.user, zones=zones, **data)  # type: ignore[arg-type]
        return Response(TransportPassSerializer(issued).data, status=status.HTTP_201_CREATED)


class PassDetailApi(APIView):
    @extend_schema(
        operation_id="transport_passes_retrieve", responses=TransportPassSerializer, summary=_("Xem thẻ (ghi nhật ký)")
    )
    def get(self, request: Request, uid: uuid.UUID) -> Response:
        return Response(TransportPassSerializer(pass_get(user=request.user, uid=uid)).data)


class PassRevokeApi(APIView):
    @extend_schema(
        operation_id="transport_passes_revoke",
        request=TransportPassRevokeSerializer,
        responses={200: TransportPassSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Thu hồi thẻ"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        found = pass_get(user=request.user, uid=uid, audit_read=False)
        serializer = TransportPassRevokeSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        revoked = pass_revoke(actor=request.user, transport_pass=found, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(TransportPassSerializer(revoked).data)


class PassReissueApi(APIView):
    @extend_schema(
        operation_id="transport_passes_reissue",
        request=TransportPassReissueSerializer,
        responses={201: TransportPassSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Cấp lại thẻ (thẻ cũ bị thu hồi, thẻ mới có mã mới)"),
    )
    def post(self, request: Request, uid: uuid.UUID) -> Response:
        found = pass_get(user=request.user, uid=uid, audit_read=False)
        serializer = TransportPassReissueSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        new = pass_reissue(actor=request.user, transport_pass=found, **serializer.validated_data)  # type: ignore[arg-type]
        return Response(TransportPassSerializer(new).data, status=status.HTTP_201_CREATED)


class CheckListCreateApi(generics.ListAPIView):
    serializer_class = TransportPassCheckSerializer

    def get_queryset(self) -> Any:
        ref = self.request.query_params.get("checkpoint", "")
        checkpoint = checkpoint_get(user=self.request.user, uid=ref) if ref else None
        return check_queryset(user=self.request.user, checkpoint=checkpoint)

    @extend_schema(
        operation_id="transport_pass_checks_list",
        parameters=[OpenApiParameter("checkpoint", uuid.UUID, description=_("uid của chốt"))],
        summary=_("Các lượt kiểm tra thẻ tại các chốt trong địa bàn"),
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    @extend_schema(
        operation_id="transport_pass_checks_create",
        request=TransportPassCheckInputSerializer,
        responses={201: TransportPassCheckSerializer, 400: OpenApiResponse(description=_("Lỗi theo từng trường"))},
        summary=_("Kiểm tra một thẻ tại chốt và ghi lại (hợp lệ, hết hạn, chưa có giá trị, thu hồi, không xác định)"),
    )
    def post(self, request: Request) -> Response:
        serializer = TransportPassCheckInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        checkpoint = checkpoint_get(user=request.user, uid=serializer.validated_data["checkpoint"])
        outcome = pass_check(actor=request.user, checkpoint=checkpoint, code=serializer.validated_data["code"])  # type: ignore[arg-type]
        return Response(TransportPassCheckSerializer(outcome.check).data, status=status.HTTP_201_CREATED)


class CheckpointListApi(generics.ListAPIView):
    serializer_class = TransportCheckpointSerializer

    def get_queryset(self) -> Any:
        return checkpoint_list(user=self.request.user)

    @extend_schema(operation_id="transport_checkpoints_list", summary=_("Chốt kiểm soát đang hoạt động trong địa bàn"))
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)
