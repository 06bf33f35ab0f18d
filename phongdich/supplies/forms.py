"""Supplies forms: a stock movement, a low-stock threshold, the choice of a holder."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from phongdich.geo.models import Level, Unit
from phongdich.orgs.models import Organisation

from .models import MovementKind, SupplyItem

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
RECEIVER_UNIT_LEVELS = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def active_items() -> Any:
    return SupplyItem.objects.filter(is_active=True).order_by("category", "name")


class MovementForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại phát sinh"), choices=MovementKind.choices)
    item = forms.ModelChoiceField(label=_("Vật tư"), queryset=SupplyItem.objects.none(), to_field_name="code")
    quantity = forms.IntegerField(
        label=_("Số lượng"),
        min_value=-10_000_000,
        max_value=10_000_000,
        help_text=_("Số nguyên dương; riêng điều chỉnh được nhập số âm để giảm."),
    )
    occurred_on = forms.DateField(label=_("Ngày"), widget=DATE)
    receiver_unit = forms.ModelChoiceField(
        label=_("Nơi nhận (địa bàn)"),
        queryset=Unit.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Chỉ khi xuất cấp"),
    )
    receiver_organisation = forms.ModelChoiceField(
        label=_("Nơi nhận (cơ quan, đơn vị)"),
        queryset=Organisation.objects.none(),
        to_field_name="uid",
        required=False,
        help_text=_("Chỉ khi xuất cấp, thay cho địa bàn"),
    )
    reason = forms.CharField(
        label=_("Lý do, ghi chú"),
        max_length=255,
        required=False,
        help_text=_("Bắt buộc khi điều chỉnh (kiểm kê, hư hỏng, hết hạn)"),
    )

    def __init__(self, *args: Any, tree: str, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = active_items()  # type: ignore[attr-defined]
        self.fields["occurred_on"].initial = timezone.localdate()
        self.fields["receiver_unit"].queryset = Unit.objects.filter(  # type: ignore[attr-defined]
            tree=tree, level__in=RECEIVER_UNIT_LEVELS
        ).order_by("path")
        self.fields["receiver_organisation"].queryset = organisations  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("receiver_unit") and data.get("receiver_organisation"):
            self.add_error("receiver_organisation", _("Chọn nơi nhận là địa bàn hoặc cơ quan, không chọn cả hai."))
        return data


class ThresholdForm(forms.Form):
    item = forms.ModelChoiceField(label=_("Vật tư"), queryset=SupplyItem.objects.none(), to_field_name="code")
    minimum = forms.IntegerField(
        label=_("Mức tối thiểu"),
        min_value=0,
        max_value=10_000_000,
        required=False,
        help_text=_("Để trống để bỏ mức cảnh báo"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = active_items()  # type: ignore[attr-defined]
