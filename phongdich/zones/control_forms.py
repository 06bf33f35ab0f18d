"""Forms for control zones, goods-transport passes, checkpoints and checks (Z1, Z2)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Unit
from phongdich.orgs.models import Premises
from phongdich.orgs.scope import scope_for

from .control_selectors import measure_sets, zone_list
from .forms import DATE_WIDGET, ServiceErrorsMixin
from .models import ControlZone, MeasureSet, ZoneArea, ZoneKind

UNIT_CODE_UNKNOWN = _("Không có đơn vị hành chính mã “%(code)s”.")


def unit_by_any_code(code: str) -> Unit | None:
    """A unit of the tree in force by its code, hamlets included (``05878-01``)."""
    return Unit.objects.filter(tree=getattr(settings, "ADMIN_TREE", "2021"), code=code.strip()).first()


def _unit_or_error(code: str) -> Unit | None:
    code = (code or "").strip()
    if not code:
        return None
    unit = unit_by_any_code(code)
    if unit is None:
        raise ValidationError(UNIT_CODE_UNKNOWN % {"code": code})
    return unit


class PremisesChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.organisation.name} — {obj.name}"


class MeasureSetChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        flag = f" ({_('có biện pháp chưa xác nhận')})" if obj.is_uncertain else ""
        return f"{obj.name}{flag}"


class ZoneForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tên vùng"), max_length=200)
    zone_kind = forms.ChoiceField(label=_("Loại vùng"), choices=ZoneKind.choices)
    area = forms.ChoiceField(label=_("Phạm vi"), choices=ZoneArea.choices)
    unit_codes = forms.CharField(
        label=_("Mã đơn vị hành chính"),
        required=False,
        max_length=500,
        help_text=_(
            "Mã GSO của xã, phường, huyện (thôn, xóm, tổ dân phố theo mã xã đặt), cách nhau bằng dấu phẩy. "
            "Một xã gồm cả các thôn, xóm của xã."
        ),
    )
    premises = PremisesChoiceField(label=_("Cơ sở, địa điểm"), queryset=Premises.objects.none(), required=False)
    measure_set = MeasureSetChoiceField(label=_("Bộ biện pháp áp dụng"), queryset=MeasureSet.objects.none())
    start_date = forms.DateField(label=_("Từ ngày"), widget=DATE_WIDGET)
    end_date = forms.DateField(
        label=_("Đến hết ngày"), widget=DATE_WIDGET, required=False, help_text=_("Để trống khi chưa định ngày kết thúc")
    )
    decision_number = forms.CharField(label=_("Số quyết định"), max_length=60)
    decision_date = forms.DateField(label=_("Ngày quyết định"), widget=DATE_WIDGET, required=False)
    issuing_authority = forms.CharField(label=_("Cơ quan quyết định"), max_length=160)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        scope = scope_for(user)
        premises = Premises.objects.filter(is_active=True).select_related("organisation")
        if not scope.everything:
            premises = premises.filter(organisation__in=scope.organisations().values("pk")) | premises.filter(
                unit__in=scope.units().values("pk")
            )
        self.fields["premises"].queryset = premises.order_by("organisation__name", "name")  # type: ignore[attr-defined]
        self.fields["measure_set"].queryset = measure_sets()  # type: ignore[attr-defined]

    def clean_unit_codes(self) -> list[Unit]:
        units = []
        for code in re.split(r"[,;\s]+", self.cleaned_data.get("unit_codes") or ""):
            unit = _unit_or_error(code)
            if unit is not None:
                units.append(unit)
        return units

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        area = data.get("area")
        if area in (ZoneArea.UNITS, ZoneArea.HAMLET) and not data.get("unit_codes") and "unit_codes" not in self.errors:
            self.add_error("unit_codes", _("Nhập mã đơn vị hành chính."))
        if area == ZoneArea.PREMISES and not data.get("premises"):
            self.add_error("premises", _("Chọn cơ sở, địa điểm."))
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("Ngày kết thúc không được trước ngày bắt đầu."))
        return data

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        area = data["area"]
        return {
            "name": data["name"],
            "zone_kind": data["zone_kind"],
            "area": area,
            "units": (data.get("unit_codes") or []) if area != ZoneArea.PREMISES else [],
            "premises": data.get("premises") if area == ZoneArea.PREMISES else None,
            "measure_set": data["measure_set"],
            "start_date": data["start_date"],
            "end_date": data.get("end_date"),
            "decision_number": data["decision_number"],
            "decision_date": data.get("decision_date"),
            "issuing_authority": data["issuing_authority"],
            "note": data.get("note") or "",
        }

    @staticmethod
    def initial_for(zone: ControlZone) -> dict[str, Any]:
        return {
            "name": zone.name,
            "zone_kind": zone.zone_kind,
            "area": zone.area,
            "unit_codes": ", ".join(u.code for u in zone.units.all()),
            "premises": zone.premises_id,
            "measure_set": zone.measure_set_id,
            "start_date": zone.start_date,
            "end_date": zone.end_date,
            "decision_number": zone.decision_number,
            "decision_date": zone.decision_date,
            "issuing_authority": zone.issuing_authority,
            "note": zone.note,
        }


class ZoneLiftForm(ServiceErrorsMixin, forms.Form):
    lifted_on = forms.DateField(label=_("Dỡ bỏ từ ngày"), widget=DATE_WIDGET)
    decision_number = forms.CharField(label=_("Số quyết định dỡ bỏ"), max_length=60, required=False)


class PassForm(ServiceErrorsMixin, forms.Form):
    plate = forms.CharField(label=_("Biển kiểm soát"), max_length=20, help_text=_("Ví dụ 20C-123.45"))
    driver_name = forms.CharField(label=_("Họ tên lái xe"), max_length=120)
    driver_phone = forms.CharField(label=_("Số điện thoại lái xe"), max_length=20)
    driver_cccd = forms.CharField(label=_("Số CCCD lái xe"), max_length=12, required=False)
    carrier = forms.CharField(label=_("Đơn vị vận tải, chủ hàng"), max_length=200, required=False)
    goods = forms.CharField(label=_("Hàng hóa"), max_length=255, help_text=_("Ví dụ: vải thiều, phân bón, linh kiện"))
    origin_code = forms.CharField(label=_("Nơi đi: mã đơn vị trong tỉnh"), max_length=20, required=False)
    origin_text = forms.CharField(label=_("hoặc nơi đi ngoài tỉnh"), max_length=200, required=False)
    destination_code = forms.CharField(label=_("Nơi đến: mã đơn vị trong tỉnh"), max_length=20, required=False)
    destination_text = forms.CharField(label=_("hoặc nơi đến ngoài tỉnh"), max_length=200, required=False)
    zones = forms.ModelMultipleChoiceField(label=_("Vùng đi qua"), queryset=ControlZone.objects.none(), required=False)
    valid_from = forms.DateField(label=_("Có giá trị từ ngày"), widget=DATE_WIDGET)
    valid_to = forms.DateField(label=_("Có giá trị đến hết ngày"), widget=DATE_WIDGET)
    issuing_unit_code = forms.CharField(label=_("Đơn vị cấp thẻ: mã đơn vị"), max_length=20)
    note = forms.CharField(label=_("Ghi chú"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zones"].queryset = zone_list(user=user, status="active")  # type: ignore[attr-defined]

    def clean_origin_code(self) -> Unit | None:
        return _unit_or_error(self.cleaned_data.get("origin_code") or "")

    def clean_destination_code(self) -> Unit | None:
        return _unit_or_error(self.cleaned_data.get("destination_code") or "")

    def clean_issuing_unit_code(self) -> Unit | None:
        return _unit_or_error(self.cleaned_data.get("issuing_unit_code") or "")

    def service_values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "issuing_unit": data["issuing_unit_code"],
            "plate": data["plate"],
            "driver_name": data["driver_name"],
            "driver_phone": data["driver_phone"],
            "driver_cccd": data.get("driver_cccd") or "",
            "carrier": data.get("carrier") or "",
            "goods": data["goods"],
            "origin_unit": data.get("origin_code"),
            "origin_text": data.get("origin_text") or "",
            "destination_unit": data.get("destination_code"),
            "destination_text": data.get("destination_text") or "",
            "zones": list(data.get("zones") or []),
            "valid_from": data["valid_from"],
            "valid_to": data["valid_to"],
            "note": data.get("note") or "",
        }


class PassRevokeForm(ServiceErrorsMixin, forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), max_length=255)


class PassReissueForm(ServiceErrorsMixin, forms.Form):
    valid_from = forms.DateField(label=_("Có giá trị từ ngày"), widget=DATE_WIDGET, required=False)
    valid_to = forms.DateField(label=_("Có giá trị đến hết ngày"), widget=DATE_WIDGET, required=False)
    reason = forms.CharField(label=_("Lý do cấp lại"), max_length=255, required=False)


class CheckpointForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("Tên chốt"), max_length=160)
    unit_code = forms.CharField(label=_("Địa bàn: mã đơn vị"), max_length=20)
    zone = forms.ModelChoiceField(label=_("Vùng"), queryset=ControlZone.objects.none(), required=False)

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["zone"].queryset = zone_list(user=user, status="active")  # type: ignore[attr-defined]

    def clean_unit_code(self) -> Unit | None:
        return _unit_or_error(self.cleaned_data.get("unit_code") or "")
