"""Coverage API (M1, D5): QR codes and check-ins of organisations per unit, scoped like the page."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from phongdich.geo.api import UnitBriefSerializer
from phongdich.geo.models import Unit
from phongdich.orgs.scope import scope_for

from .selectors import Tally, coverage_of, default_unit


class TallySerializer(serializers.Serializer[Any]):
    organisations = serializers.IntegerField(help_text=_("Số cơ quan, đơn vị đang hoạt động"))
    with_qr = serializers.IntegerField(help_text=_("Số cơ quan, đơn vị có mã QR còn hiệu lực tại một địa điểm"))
    checked_today = serializers.IntegerField(help_text=_("Số cơ quan, đơn vị có lượt quét mã hôm nay"))
    checked_week = serializers.IntegerField(help_text=_("Số cơ quan, đơn vị có lượt quét mã tuần này (từ thứ Hai)"))
    share_qr = serializers.FloatField(allow_null=True, help_text=_("Tỷ lệ có mã QR, tính theo phần trăm"))
    share_today = serializers.FloatField(allow_null=True)
    share_week = serializers.FloatField(allow_null=True)


class CoverageRowSerializer(serializers.Serializer[Any]):
    unit = UnitBriefSerializer(allow_null=True, help_text=_("Đơn vị cấp dưới; null: cơ quan đặt ngay tại đơn vị"))
    tally = TallySerializer()


class CoverageSerializer(serializers.Serializer[Any]):
    unit = UnitBriefSerializer(allow_null=True)
    total = TallySerializer()
    rows = CoverageRowSerializer(many=True)


def _tally(t: Tally) -> dict[str, Any]:
    return {
        "organisations": t.organisations,
        "with_qr": t.with_qr,
        "checked_today": t.checked_today,
        "checked_week": t.checked_week,
        "share_qr": t.share_qr,
        "share_today": t.share_today,
        "share_week": t.share_week,
    }


class CoverageApi(APIView):
    @extend_schema(
        operation_id="coverage_retrieve",
        parameters=[OpenApiParameter("unit", str, description=str(_("uid của đơn vị; mặc định: đơn vị của bạn")))],
        responses=CoverageSerializer,
        summary="QR check-in coverage of organisations under a unit, per child unit",
    )
    def get(self, request: Request) -> Response:
        user = request.user
        raw = request.query_params.get("unit", "")
        unit: Unit | None
        if raw:
            try:
                unit = Unit.objects.filter(uid=UUID(raw)).first()
            except ValueError:
                unit = None
            if unit is None:
                raise Http404
            scope = scope_for(user)
            above = any(t == unit.tree and p.startswith(unit.path) for t, p in scope.unit_paths)
            if not (scope.contains_unit(unit) or above):
                raise Http404
        else:
            unit = default_unit(user)
        cov = coverage_of(user, unit=unit)
        data = {
            "unit": UnitBriefSerializer(cov.unit).data if cov.unit else None,
            "total": _tally(cov.total),
            "rows": [
                {"unit": UnitBriefSerializer(r.unit).data if r.unit else None, "tally": _tally(r.tally)}
                for r in cov.rows
            ],
        }
        return Response(data)
